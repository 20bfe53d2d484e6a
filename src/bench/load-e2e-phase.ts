import { percentile, type BenchFigure } from './bench-result.js';
import { sleep, type Children } from './load-children.js';
import { createBenchStore, PUBLIC_URL, startDaemons } from './load-daemon.js';
import type { LoadRig } from './load-rig.js';
import { seedReminders, seedUsers } from './load-seed.js';
import { reminderLateness, type AcceptedMessage, type DueReminder } from './load-summary.js';

export interface E2ePhaseOptions {
  connections: number;
  users: number;
  durationMs: number;
  /** Inbound messages offered per second, in all. */
  rate: number;
  /** After the load, how long to wait for the replies still owed. */
  tailMs: number;
  body: string;
  /** Post-meeting reminders falling due during the load (0 = none). */
  reminders: number;
  /** The daemon starts after seeding; the load starts this long after seeding ends, whatever the start-up took. */
  startLeadMs: number;
}

export interface E2eTarget {
  store: 'sqlite' | 'postgres';
  daemons: number;
  postgresUrl: string;
  label: string;
}

/**
 * End to end on a fresh store: inbound messages offered at `rate` for `durationMs` over
 * `connections` connections (spread over the daemons), and how many were fully answered, i.e.
 * their reply was accepted by the Twilio simulator, within that window. With `reminders`,
 * meetings are seeded whose post-meeting reminders fall due during the load, on salespeople
 * who send nothing, and each one's lateness is when Twilio accepted it minus its due time.
 */
export async function runE2ePhase(children: Children, rig: LoadRig, target: E2eTarget, options: E2ePhaseOptions, section: string): Promise<BenchFigure[]> {
  const store = await createBenchStore(target.store, target.postgresUrl);
  try {
    const opened = await store.open();
    let users: Awaited<ReturnType<typeof seedUsers>>;
    let reminders: DueReminder[] = [];
    let loadStartAt: number;
    try {
      users = await seedUsers(opened, options.users, 0);
      loadStartAt = Date.now() + options.startLeadMs;
      if (options.reminders > 0) {
        // Due from 5 s into the load to 5 s before its end, for salespeople who send no messages.
        const quiet = await seedUsers(opened, 20, 8000);
        reminders = await seedReminders(opened, quiet, options.reminders, loadStartAt + 5000, loadStartAt + options.durationMs - 5000);
      }
    } finally {
      await opened.close();
    }
    const daemons = await startDaemons(children, store, rig, target.daemons);
    try {
      const baseline = (await rig.messages(0)).total;
      const wait = loadStartAt - Date.now();
      if (wait > 0) await sleep(wait);
      else if (reminders.length > 0) process.stderr.write(`  (the daemon took longer than ${options.startLeadMs} ms to start: the load began ${-wait} ms late)\n`);
      const { load, probe } = await rig.round({
        targets: daemons.urls, publicUrl: PUBLIC_URL, authToken: rig.sims.twilio.authToken, accountSid: rig.sims.twilio.accountSid,
        senders: users.map((u) => u.phone), body: options.body, connections: options.connections, durationMs: options.durationMs,
        rate: options.rate, timeoutMs: 2000, maxRequests: Math.ceil((options.rate * options.durationMs) / 1000) + options.connections,
      }, daemons.healthUrls);
      const windowEnd = load.startedAt + options.durationMs;
      const senders = new Set(users.map((u) => u.phone));
      const isReply = (m: AcceptedMessage) => senders.has(m[0]);
      // The replies still owed get `tailMs` to arrive: how far behind the daemon is when the load stops.
      const messages: AcceptedMessage[] = [];
      const tailEnd = Date.now() + options.tailMs;
      for (let from = baseline; ;) {
        const read = await rig.messages(from);
        for (const m of read.messages) messages.push(m);
        from = read.total;
        if (messages.filter(isReply).length >= load.acks || Date.now() >= tailEnd) break;
        await sleep(500);
      }
      const observedUntil = Date.now();
      const replies = messages.filter(isReply);
      const inWindow = replies.filter((m) => m[1] >= load.startedAt && m[1] <= windowEnd).length;
      const seconds = Math.round(options.durationMs / 1000);
      const figures: BenchFigure[] = [
        { section, name: `${target.label}: inbound acked (offered ${options.rate}/s)`, value: load.acksPerSecond, unit: 'acks/s' },
        { section, name: `${target.label}: answered within the ${seconds} s`, value: inWindow / (options.durationMs / 1000), unit: 'msgs/s', goal: '>= 500' },
        { section, name: `${target.label}: unanswered ${Math.round(options.tailMs / 1000)} s after the load`, value: Math.max(0, load.acks - replies.length), unit: `of ${load.acks}` },
        { section, name: `${target.label}: webhook failures (none in 2 s, or not 200)`, value: load.timeouts + load.errors, unit: 'requests', goal: '== 0' },
        { section, name: `${target.label}: longest /health answer (stall)`, value: probe?.latency.max ?? 0, unit: 'ms', goal: '<= 100' },
      ];
      if (reminders.length > 0) {
        const { lateness, missing } = reminderLateness(reminders, messages, observedUntil);
        const sorted = [...lateness].sort((a, b) => a - b);
        figures.push(
          { section, name: `${target.label}: reminder lateness p50 (${reminders.length} due)`, value: percentile(sorted, 50), unit: 'ms' },
          { section, name: `${target.label}: reminder lateness p99`, value: percentile(sorted, 99), unit: 'ms', goal: '<= 1000' },
          { section, name: `${target.label}: reminders not sent by the end`, value: missing, unit: `of ${reminders.length}`, goal: '== 0' },
        );
      }
      return figures;
    } finally {
      await daemons.stop();
    }
  } finally {
    await store.dispose();
  }
}
