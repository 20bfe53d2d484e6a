import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonProcess } from '../helpers/daemon-process.js';
import { createLifecycleWorld, type LifecycleWorld } from '../helpers/lifecycle-world.js';
import { freshStore, type TestStore } from '../helpers/stores.js';

const MEETINGS = 30;
const LEASE_MS = 5000;
const POLL_MS = 1000;
/** Process start-up, croner's one-second tick and the log pipe. */
const SLACK_MS = 2000;

interface Run {
  slot: number;
  daemon: DaemonProcess;
  killedAt?: number;
}

let world: LifecycleWorld | undefined;
let db: TestStore | undefined;
let runs: Run[] = [];
afterEach(async () => {
  runs = [];
  await world?.close();
  await db?.dispose();
  world = undefined;
  db = undefined;
});

type Entry = Record<string, unknown> & { time: number; msg: string };
const entries = (run: Run): Entry[] => run.daemon.lines.flatMap((l) => {
  try {
    return [JSON.parse(l) as Entry];
  } catch {
    return [];
  }
});

/**
 * Issue 7: three `rolplay start` on one real PostgreSQL database. One polls Graph at a time
 * (a lease renewed against the database clock); when the leader is frozen (SIGSTOP) or killed
 * another takes over within lease TTL + poll interval, and the frozen one, thawed, is fenced.
 * All three serve the webhook (each answer is delivered to two of them at once) and run jobs.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('several daemons on PostgreSQL', () => {
  it('one poller at a time, takeover after SIGSTOP and SIGKILL of the leader, shared jobs and inbound dedupe, every lifecycle exactly once', async () => {
    db = await freshStore('postgres');
    world = await createLifecycleWorld({
      meetings: MEETINGS, databaseUrl: db.databaseUrl, daemons: 3, firstStartInMs: 10_000, spacingMs: 200, durationMs: 15_000,
      latencyMs: [10, 80], config: { microsoft: { pollLeaseSeconds: LEASE_MS / 1000 } },
    });
    const w = world;
    const stopped = new Set<number>();
    const live = () => runs.filter((r) => r.killedAt === undefined && !stopped.has(r.slot)).map((r) => r.slot);
    const start = async (slot: number) => {
      const run: Run = { slot, daemon: w.spawn(slot) };
      runs.push(run);
      await run.daemon.waitFor((e) => e.msg === 'rolplay started', 20_000);
      return run;
    };
    const current = (slot: number) => runs.filter((r) => r.slot === slot).at(-1)!;
    const leads = () => runs.flatMap((r) => entries(r).filter((e) => e.msg === 'this daemon now leads').map((e) => ({ run: r, time: e.time, epoch: Number(e.epoch) })))
      .sort((a, b) => a.time - b.time);
    const waitForLeader = async (after: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const next = leads().find((l) => l.time > after);
        if (next) return next;
        if (Date.now() > deadline) throw new Error(`no new leader within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    await Promise.all([start(0), start(1), start(2)]);
    // Every answer goes to one daemon and, at the same moment, to another: Twilio's retry racing the original.
    const responder = w.startResponder(live, { duplicateTo: () => live().slice(0, 1) });
    const first = await waitForLeader(0, LEASE_MS + POLL_MS + SLACK_MS);
    for (let i = 0; (await w.store.db.selectFrom('meetings').select('id').execute()).length < MEETINGS; i++) {
      if (i > 100) throw new Error('the meetings were not ingested');
      await new Promise((r) => setTimeout(r, 100));
    }

    // Freeze the leader: another takes over within TTL + poll interval.
    const frozen = first.run;
    stopped.add(frozen.slot);
    frozen.daemon.kill('SIGSTOP');
    const frozenAt = Date.now();
    const second = await waitForLeader(frozenAt, LEASE_MS + POLL_MS + SLACK_MS + 2000);
    expect(second.run).not.toBe(frozen);
    expect(second.time - frozenAt).toBeLessThanOrEqual(LEASE_MS + POLL_MS + SLACK_MS);
    expect(second.epoch).toBeGreaterThan(first.epoch);
    // Thawed, the old leader finds it has lost the lead instead of polling (or writing) on.
    frozen.daemon.kill('SIGCONT');
    stopped.delete(frozen.slot);
    await frozen.daemon.waitFor((e) => e.msg === 'lost the lead to another daemon' || e.msg === 'this daemon lost the calendar lead during the poll', LEASE_MS + SLACK_MS);

    // Kill the new leader once the first reminders are out; the slot restarts as a new process.
    while (responder.acked.size === 0) await new Promise((r) => setTimeout(r, 100));
    second.run.killedAt = Date.now();
    second.run.daemon.kill('SIGKILL');
    await second.run.daemon.exited;
    const third = await waitForLeader(second.run.killedAt, LEASE_MS + POLL_MS + SLACK_MS + 2000);
    expect(third.time - second.run.killedAt).toBeLessThanOrEqual(LEASE_MS + POLL_MS + SLACK_MS);
    expect(third.epoch).toBeGreaterThan(second.epoch);
    await start(second.run.slot);

    await w.waitForAllCompleted(90_000);
    expect(await w.problems()).toEqual([]);

    // One poller at a time: every poll began while its daemon held the latest lead.
    const all = leads();
    for (const run of runs) {
      for (const poll of entries(run).filter((e) => e.msg === 'calendar poll')) {
        const began = poll.time - Number(poll.ms ?? 0);
        const holder = all.filter((l) => l.time <= began).at(-1);
        expect(holder?.run, `a poll at ${new Date(began).toISOString()} by slot ${run.slot} while another daemon led`).toBe(run);
      }
    }
    // Jobs ran on more than one daemon; each inbound answer became exactly one job.
    const workers = runs.filter((r) => r.daemon.lines.some((l) => l.includes('"component":"jobs"') && l.includes('WhatsApp message sent')));
    expect(new Set(workers.map((r) => r.slot)).size).toBeGreaterThanOrEqual(2);
    const inbound = await w.store.db.selectFrom('jobs').select(['dedupe_key']).where('kind', '=', 'handle_inbound').execute();
    expect(inbound.map((j) => j.dedupe_key).sort()).toEqual(w.lifecycles.map((l) => `inbound:${l.answerSid}`).sort());
    expect(current(frozen.slot).daemon.child.exitCode).toBeNull();
    const jobsPerSlot = [0, 1, 2].map((slot) => runs.filter((r) => r.slot === slot).reduce((n, r) => n + r.daemon.lines.filter((l) => l.includes('"component":"jobs"') && l.includes('"job":')).length, 0));
    console.log(`multi-daemon: takeover after SIGSTOP ${second.time - frozenAt} ms, after SIGKILL ${third.time - second.run.killedAt} ms (lease ${LEASE_MS} ms, poll ${POLL_MS} ms); job log lines per slot ${jobsPerSlot.join('/')}`);
  }, 180_000);
});
