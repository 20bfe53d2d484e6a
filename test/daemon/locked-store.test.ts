import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnRolplay } from '../helpers/daemon-process.js';
import { HELP_TEXT } from '../../src/lifecycle/whatsapp/conversation-commands.js';
import { PHONE, createTwilioDaemonWorld, until, type TwilioDaemonWorld } from './twilio-daemon-world.js';

let world: TwilioDaemonWorld | undefined;
let locker: BetterSqlite3.Database | undefined;
afterEach(async () => {
  if (locker?.inTransaction) locker.exec('ROLLBACK');
  locker?.close();
  locker = undefined;
  await world?.close();
  world = undefined;
});

/**
 * Issue 7, "a locked SQLite file is reported clearly and loses nothing already acknowledged":
 * another process holds the write lock past the 5 s busy timeout while the daemon runs, a
 * command writes, Twilio posts a message and a job falls due.
 */
describe('a SQLite file locked by another process', () => {
  it('fails a writing command in one clear line, answers the webhook 503, keeps the runner alive, and catches up once the lock goes', async () => {
    world = await createTwilioDaemonWorld();
    const w = world;
    // Falls due while the file is locked.
    const plan = await w.queueSend('locked:plan', 'Your plan for the Acme call');
    await w.store.db.updateTable('jobs').set({ run_at: Date.now() + 3000 }).where('id', '=', plan.id).execute();
    const daemon = w.spawn();
    await daemon.waitFor((e) => e.msg === 'rolplay started');

    locker = new BetterSqlite3(w.dbFile);
    locker.exec('BEGIN EXCLUSIVE');
    const t0 = Date.now();

    // (a) a command that writes
    const add = spawnRolplay(['user', 'add', '--name', 'Ana Buyer', '--email', 'ana@example.com', '--phone', '+14155550111', '--no-welcome', '--config', w.configPath], { ROLPLAY_LOG_LEVEL: 'warn' });
    const added = add.exited.then((code) => ({ code, ms: Date.now() - t0 }));
    // (b) Twilio delivers a message
    const refused = await w.inbound('help');
    const { code: addCode, ms: addMs } = await added;
    const addOutput = add.lines.filter((l) => l.trim() !== '');
    console.log(`locked: user add exit ${addCode} after ${addMs} ms: ${addOutput.join(' | ')}; webhook ${refused.status} after ${Date.now() - t0} ms`);
    expect(addCode).not.toBe(0);
    expect(addOutput).toHaveLength(1);
    expect(addOutput[0]).toMatch(/^rolplay: the database .*rolplay\.db is locked by another process/);
    expect(addOutput[0]).toContain(w.dbFile);
    expect(addOutput.join('\n')).not.toMatch(/\bat .*\.js:\d+/);

    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const logged = await daemon.waitFor((e) => e.msg === 'webhook request not stored; answered 503 so Twilio retries');
    expect(String(logged.err)).toContain(`the database ${w.dbFile} is locked by another process`);

    // (c) the runner cannot claim the plan job that fell due: it reports that and keeps going.
    // (Every write waits out the busy timeout, and better-sqlite3 waits synchronously: the
    // runner's attempt and the webhook's take their 5 s turns, in either order.)
    await daemon.waitFor((e) => e.msg === 'job runner could not read the job table; retrying in 5 s', 15_000);
    expect(w.twilio.messages).toHaveLength(0);
    locker.exec('ROLLBACK');
    console.log(`locked for ${Date.now() - t0} ms`);

    // Twilio retries the same message; it is stored and answered once, and the plan goes out.
    const retried = await w.inbound('help', refused.messageSid);
    expect(retried.status).toBe(200);
    const twilio = w.twilio;
    await until(() => twilio.sentTo(PHONE).length >= 2, 15_000, 'the help reply and the plan');
    const again = await w.inbound('help', refused.messageSid);
    expect(again.status).toBe(200);
    await until(async () => (await w.store.jobs.byId(plan.id))?.status === 'done', 10_000, 'the plan job to be done');
    const inbound = await w.store.jobs.list({ kind: 'handle_inbound' });
    expect(inbound).toMatchObject([{ dedupe_key: `inbound:${refused.messageSid}` }]);
    await until(async () => (await w.store.jobs.byId(inbound[0]!.id))?.status === 'done', 10_000, 'the inbound job to be done');
    const bodies = twilio.sentTo(PHONE).map((m) => m.body);
    expect(bodies.filter((b) => b.includes(HELP_TEXT.slice(0, 40)))).toHaveLength(1);
    expect(bodies.filter((b) => b === 'Your plan for the Acme call')).toHaveLength(1);
    expect(await w.store.messages.bySid(refused.messageSid)).toMatchObject({ direction: 'in', body: 'help' });
    daemon.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  }, 30_000);
});
