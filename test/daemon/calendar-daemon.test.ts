import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnRolplay, type DaemonProcess } from '../helpers/daemon-process.js';
import { tempConfig } from '../helpers/run-cli.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { startGraphSimulator, type GraphSim } from '../../src/sandbox/graph-simulator.js';
import { startMicrosoftTokenSimulator, type TokenSim } from '../../src/sandbox/microsoft-token-simulator.js';

const BOT = 'coach-bot@example.com';
const HOUR = 3_600_000;

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
});

/**
 * The "Done when": the built CLI's `rolplay start` as a child process, on a temp SQLite
 * store, polling the Graph simulator through the real MSAL and Graph SDKs every second.
 */
describe('rolplay start polls the calendar', () => {
  it('an invitation becomes a meeting with clients and a plan job; a move moves the job; a cancel cancels; quiet polls are one request and write nothing', async () => {
    const tokens: TokenSim = await startMicrosoftTokenSimulator();
    const graph: GraphSim = await startGraphSimulator({ botEmail: BOT, tokens });
    cleanup.push(() => graph.close(), () => tokens.close());
    const { dir, path } = tempConfig({
      bot: { email: BOT },
      server: { host: '127.0.0.1', port: 0 },
      microsoft: {
        tenantId: tokens.tenantId, clientId: tokens.clientId, clientSecret: tokens.clientSecret,
        authorityHost: tokens.url, graphBaseUrl: graph.url, pollSeconds: 1, internalDomains: ['example.com'],
      },
      schedule: { planLeadHours: 2, reminderDelayMinutes: 1 },
    });
    const store: Store = await openStore({ dataDir: join(dir, 'data') });
    cleanup.push(() => store.close());
    const user = (await store.users.upsert({ email: 'sam.seller@example.com', name: 'Sam Seller', phone: '+14155550100', timezone: 'UTC' }, Date.now())).user;

    const daemon: DaemonProcess = spawnRolplay(['start', '--config', path]);
    cleanup.push(async () => {
      daemon.kill('SIGKILL');
      await daemon.exited;
    });
    const poll = (since: number, test: (e: Record<string, unknown>) => boolean = () => true) =>
      daemon.waitFor((e) => e.msg === 'calendar poll' && Number(e.time) > since && test(e), 20_000);
    await poll(0);

    // Invitation from a registered organizer (address in another case).
    const start = Date.now() + 48 * HOUR;
    let since = Date.now();
    const id = graph.addEvent({
      subject: 'Acme renewal', organizer: 'Sam.Seller@Example.com', start, end: start + HOUR,
      attendees: [BOT, 'ana@acme.example', 'bo@acme.example', { email: 'room-1@example.com', type: 'resource' }],
    });
    expect(await poll(since, (e) => e.new === 1)).toMatchObject({ new: 1, requests: 1 });
    const meeting = (await store.meetings.byEventId(id))!;
    expect(meeting).toMatchObject({ user_id: user.id, status: 'scheduled', start_at: start });
    expect((await store.clients.forMeeting(meeting.id)).map((c) => c.email)).toEqual(['ana@acme.example', 'bo@acme.example']);
    const plan = (await store.jobs.forMeeting(meeting.id)).find((j) => j.kind === 'prepare_plan');
    expect(plan).toMatchObject({ status: 'pending', run_at: start - 2 * HOUR });

    // Quiet polls: one request each, nothing written.
    const before = await snapshot(store);
    since = Date.now();
    const quiet = await poll(since);
    expect(quiet).toMatchObject({ requests: 1, new: 0, changed: 0, cancelled: 0 });
    expect(await snapshot(store)).toBe(before);

    // Moved by a day: the plan job moves with it.
    since = Date.now();
    graph.moveEvent(id, start + 24 * HOUR, start + 25 * HOUR);
    await poll(since, (e) => e.changed === 1);
    expect(await store.jobs.byId(plan!.id)).toMatchObject({ status: 'pending', run_at: start + 22 * HOUR });
    expect((await store.jobs.forMeeting(meeting.id)).find((j) => j.kind === 'send_reminder')).toMatchObject({ run_at: start + 25 * HOUR + 60_000 });

    // Cancelled by the organizer.
    since = Date.now();
    graph.cancelEvent(id);
    await poll(since, (e) => e.cancelled === 1);
    expect(await store.meetings.byId(meeting.id)).toMatchObject({ status: 'cancelled' });
    expect(await store.jobs.byId(plan!.id)).toMatchObject({ status: 'cancelled' });

    daemon.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(daemon.lines.some((l) => l.includes('rolplay stopped'))).toBe(true);

    // `rolplay start --once`: one poll and one pass over due jobs, then exit.
    const next = graph.addEvent({ subject: 'Globex intro', organizer: 'sam.seller@example.com', start: start + 2 * HOUR, end: start + 3 * HOUR, attendees: [BOT, 'cy@globex.example'] });
    const once = spawnRolplay(['start', '--once', '--config', path]);
    expect(await once.exited).toBe(0);
    expect(await store.meetings.byEventId(next)).toMatchObject({ title: 'Globex intro', user_id: user.id });
  }, 60_000);
});

async function snapshot(store: Store): Promise<string> {
  const tables = ['meetings', 'clients', 'meeting_clients', 'jobs', 'sync_state'] as const;
  const rows = await Promise.all(tables.map((t) => store.db.selectFrom(t).selectAll().execute()));
  return JSON.stringify(rows);
}
