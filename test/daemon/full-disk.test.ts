import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/support/logger.js';
import { StoreError } from '../../src/support/errors.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { buildApp, type App } from '../../src/daemon/build-app.js';
import { createWebhookComponent } from '../../src/daemon/webhook-component.js';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { sendInboundWhatsApp } from '../../src/sandbox/twilio-webhook.js';
import { HELP_TEXT } from '../../src/lifecycle/whatsapp/conversation-commands.js';
import { until } from './twilio-daemon-world.js';

const PUBLIC_URL = 'https://coach.example.com';
const SAM = '+14155550100';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
});

/**
 * Fills the database to the limit SQLite's max_page_count sets on this connection, as a full
 * disk would: the limit is the current size, and filler rows take every free page.
 */
async function fillDisk(store: Store): Promise<number> {
  await sql`PRAGMA max_page_count = 1`.execute(store.db); // clamps to the current size
  let rows = 0;
  for (const size of [3000, 1000, 200]) {
    for (;;) {
      try {
        await store.syncState.set(`filler:${size}:${rows}`, 'x'.repeat(size), Date.now());
        rows++;
      } catch (error) {
        if (error instanceof StoreError && error.reason === 'full') break;
        throw error;
      }
    }
  }
  const free = await sql<{ freelist_count: number }>`PRAGMA freelist_count`.execute(store.db);
  expect(free.rows[0]!.freelist_count).toBe(0);
  return rows;
}

/**
 * Issue 7, "a full disk is reported clearly and loses nothing already acknowledged": the
 * daemon (real listener, runner, twilio and @google/genai SDKs against the simulators) on a
 * SQLite store that runs out of space, then gets it back.
 */
describe('the disk holding the SQLite file fills up', () => {
  it('answers the webhook 503 with a clear "disk is full" error, keeps what was acknowledged, and carries on once space is freed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-full-'));
    const dataDir = join(dir, 'data');
    const store = await openStore({ dataDir });
    const twilio: TwilioSim = await startTwilioSimulator();
    const gemini: GeminiSim = await startGeminiSimulator();
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
    const config = configSchema.parse({
      dataDir,
      server: { host: '127.0.0.1', port: 0, publicUrl: PUBLIC_URL },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
    });
    const app: App = await buildApp({ config, logger, store });
    const http = createWebhookComponent(app);
    const daemon: Daemon = await startDaemon(app, { components: [http] });
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }), () => store.close(), () => twilio.close(), () => gemini.close(), () => app.close(), () => daemon.stop());
    await store.users.upsert({ email: 'sam@example.com', name: 'Sam', phone: SAM, timezone: 'UTC' }, Date.now());
    const inbound = (body: string, messageSid?: string) => sendInboundWhatsApp({
      url: `${http.url()}/whatsapp-webhook`, publicUrl: `${PUBLIC_URL}/whatsapp-webhook`, authToken: twilio.authToken,
      accountSid: twilio.accountSid, from: SAM, body, messageSid,
    });

    // Acknowledged and answered before the disk fills.
    const first = await inbound('help');
    expect(first.status).toBe(200);
    await until(() => twilio.sentTo(SAM).length === 1, 10_000, 'the help reply');
    // The reply's own row is written just after Twilio accepts it: wait for every job to finish.
    await until(async () => (await store.db.selectFrom('jobs').select('status').execute()).every((j) => j.status === 'done'), 10_000, 'the jobs to finish');
    const before = { messages: await store.db.selectFrom('messages').selectAll().execute(), jobs: await store.db.selectFrom('jobs').selectAll().execute() };

    const fillers = await fillDisk(store);
    // A long message needs whole new pages for its job: there are none.
    const long = `Notes from the call: ${'they want a pilot in March, budget approved, legal review pending. '.repeat(55)}`.slice(0, 3900);
    const refused = await inbound(long);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    const logged = lines.find((l) => l.msg === 'webhook request not stored; answered 503 so Twilio retries');
    expect(String(logged?.err)).toMatch(new RegExp(`^the disk is full: SQLite cannot write to the data directory ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    expect(logged?.code).toBe('STORE_FULL');
    expect(await store.jobs.byDedupeKey(`inbound:${refused.messageSid}`)).toBeUndefined();

    // Nothing acknowledged before is lost.
    expect(await store.db.selectFrom('messages').selectAll().execute()).toEqual(before.messages);
    expect(await store.db.selectFrom('jobs').selectAll().execute()).toEqual(before.jobs);

    // Space is freed (as deleting other files on that disk would); Twilio delivers the same
    // message again: stored and answered once.
    await sql`PRAGMA max_page_count = 1000000`.execute(store.db);
    console.log(`full disk: ${fillers} filler rows; webhook answered ${refused.status} with Retry-After ${refused.headers.get('retry-after')}`);
    expect((await inbound(long, refused.messageSid)).status).toBe(200);
    expect((await inbound(long, refused.messageSid)).status).toBe(200);
    const job = await until(async () => {
      const row = await store.jobs.byDedupeKey(`inbound:${refused.messageSid}`);
      return row?.status === 'done' ? row : undefined;
    }, 10_000, 'the long message to be handled');
    expect(job.attempts).toBe(1);
    await until(() => twilio.sentTo(SAM).length === 2, 10_000, 'the coach reply');
    expect(twilio.sentTo(SAM)[0]!.body).toContain(HELP_TEXT.slice(0, 40));
    expect(await store.db.selectFrom('messages').select('twilio_sid').where('direction', '=', 'in').execute()).toEqual([
      { twilio_sid: first.messageSid }, { twilio_sid: refused.messageSid },
    ]);
  }, 25_000);
});

/** A private mount namespace with a tmpfs in it: root on Linux (as here and in CI) can; others skip. */
function canMountTmpfs(): boolean {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { stdio: 'ignore', timeout: 5000 });
  return probe.status === 0;
}

describe.runIf(canMountTmpfs())('a real full disk (a 2 MB tmpfs in a private mount namespace)', () => {
  it('fails the write with the same "disk is full" error, keeps saved rows, and writes again once space is freed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-tmpfs-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const mnt = join(dir, 'mnt');
    const openStoreJs = new URL('../../dist/store/open-store.js', import.meta.url).href;
    // The built store (as `rolplay start` runs it): a row, a disk filled by another file, a big write, the file removed.
    writeFileSync(join(dir, 'fill.mjs'), `
      import { appendFileSync, rmSync } from 'node:fs';
      const { openStore } = await import(${JSON.stringify(openStoreJs)});
      const mnt = process.argv[2];
      const store = await openStore({ dataDir: mnt + '/data' });
      await store.users.upsert({ email: 'kept@example.com', name: 'Kept', phone: '+14155550100', timezone: 'UTC' }, Date.now());
      try { for (;;) appendFileSync(mnt + '/filler', Buffer.alloc(64 * 1024)); } catch {}
      const out = {};
      try { await store.syncState.set('big', 'x'.repeat(400000), Date.now()); out.full = 'no error'; } catch (e) { out.full = { name: e.name, reason: e.reason, message: e.message }; }
      out.kept = (await store.users.byEmail('kept@example.com'))?.name;
      rmSync(mnt + '/filler');
      await store.syncState.set('big', 'x'.repeat(400000), Date.now());
      out.after = (await store.syncState.get('big'))?.length;
      await store.close();
      console.log(JSON.stringify(out));
    `);
    const run = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mkdir -p "$1" && mount -t tmpfs -o size=2m tmpfs "$1" && exec "$2" "$3" "$1"', 'sh', mnt, process.execPath, join(dir, 'fill.mjs')], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { full: { name: string; reason: string; message: string }; kept: string; after: number };
    expect(out.full).toMatchObject({ name: 'StoreError', reason: 'full' });
    expect(out.full.message).toBe(`the disk is full: SQLite cannot write to the data directory ${mnt}/data (SQLITE_FULL: database or disk is full); free space there or move dataDir to a larger disk (data already saved is kept)`);
    expect(out.kept).toBe('Kept');
    expect(out.after).toBe(400_000);
  });
});
