import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../config/schema.js';
import { systemClock } from '../support/clock.js';
import { silentLogger } from '../support/logger.js';
import { JobRunner } from '../daemon/job-runner.js';
import { createJobQueue } from '../lifecycle/jobs/job-queue.js';
import { bindJobs } from '../lifecycle/all-jobs.js';
import { SEND_REMINDER } from '../lifecycle/jobs/job-kinds.js';
import { sendNudgeJob, sendReminderJob } from '../lifecycle/follow-up/send-reminder.js';
import { scheduleFollowUp } from '../lifecycle/follow-up/schedule-follow-up.js';
import type { Services } from '../lifecycle/services.js';
import { openStore, type Store } from '../store/open-store.js';
import { percentile, type BenchFigure } from './bench-result.js';

export interface ReminderBenchOptions {
  reminders?: number;
  /** The reminders fall due evenly across this window. */
  windowMs?: number;
  meetingsForQuery?: number;
}

const SECTION = 'Reminders (issue 5)';

/**
 * 500 reminders due within one minute, run by the real job runner on the system clock with the
 * real send_reminder handler (its WhatsApp sends are queued, not delivered): how late each one
 * started (p50/p99, goal p99 <= 1 s). Then the runner's due-job query on a store holding
 * 100,000 meetings with a pending reminder each.
 */
export async function runReminderBench(options: ReminderBenchOptions = {}): Promise<BenchFigure[]> {
  const reminders = options.reminders ?? 500;
  const windowMs = options.windowMs ?? 60_000;
  const meetingsForQuery = options.meetingsForQuery ?? 100_000;
  const lateness = await withStore((store) => latenessRun(store, reminders, windowMs));
  const queryMs = await withStore((store) => dueQueryRun(store, meetingsForQuery));
  const sorted = [...lateness].sort((a, b) => a - b);
  const count = meetingsForQuery.toLocaleString('en-US');
  return [
    { section: SECTION, name: `lateness p50 (${reminders} due within ${Math.round(windowMs / 1000)} s)`, value: percentile(sorted, 50), unit: 'ms' },
    { section: SECTION, name: 'lateness p99', value: percentile(sorted, 99), unit: 'ms', goal: '<= 1000' },
    { section: SECTION, name: 'reminders sent', value: lateness.length, unit: `of ${reminders}`, goal: `== ${reminders}` },
    { section: SECTION, name: `due-job query, ${count} meetings (median)`, value: queryMs.claim, unit: 'ms' },
    { section: SECTION, name: `next-wake query, ${count} meetings (median)`, value: queryMs.next, unit: 'ms' },
  ];
}

async function latenessRun(store: Store, reminders: number, windowMs: number): Promise<number[]> {
  const config = configSchema.parse({ schedule: { reminderDelayMinutes: 1, nudgeAfterHours: 4 } });
  const clock = systemClock;
  const wake = { runner: undefined as JobRunner | undefined };
  const queue = createJobQueue(store, clock, config.jobs.maxAttempts, () => wake.runner?.wake());
  const services: Services = { config, clock, logger: silentLogger(), store, queue };
  const jobs = bindJobs(services, [sendReminderJob, sendNudgeJob]);
  const lateness: number[] = [];
  const remind = jobs[0]!.handle!;
  jobs[0]!.handle = async (ctx) => {
    lateness.push(clock.now() - Number(ctx.job.run_at));
    return remind(ctx);
  };
  const user = (await store.users.upsert({ email: 'bench@seller.example', name: 'Bench', phone: '+14155550100', timezone: 'UTC' }, clock.now())).user;
  const client = await store.clients.upsert({ email: 'client@bench.example', name: 'Client' }, clock.now());
  // Due from 3 s from now (after set-up) to 3 s + window; end = due - 1 minute.
  const first = clock.now() + 3000;
  for (let i = 0; i < reminders; i++) {
    const due = first + Math.round((i * windowMs) / reminders);
    const meeting = await store.meetings.insert({
      event_id: `bench-${i}`, source: 'graph', title: `Bench meeting ${i}`, start_at: due - 31 * 60_000, end_at: due - 60_000,
      organizer_email: user.email, user_id: user.id, status: 'plan_sent', created_at: clock.now(), updated_at: clock.now(),
    });
    await store.clients.setForMeeting(meeting.id, [client.id]);
    await scheduleFollowUp(services, meeting);
  }
  const runner = new JobRunner({ store, clock, logger: silentLogger(), jobs, leaseMs: 60_000 });
  wake.runner = runner;
  runner.start();
  const deadline = first + windowMs + 10_000;
  while (lateness.length < reminders && clock.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await runner.stop();
  return lateness;
}

async function dueQueryRun(store: Store, meetings: number): Promise<{ claim: number; next: number }> {
  const now = Date.now();
  const batch = 1000;
  const user = (await store.users.upsert({ email: 'bulk@seller.example', name: 'Bulk', phone: '+14155550101', timezone: 'UTC' }, now)).user;
  for (let start = 0; start < meetings; start += batch) {
    const size = Math.min(batch, meetings - start);
    await store.db.transaction().execute(async (tx) => {
      const rows = await tx.insertInto('meetings').values(Array.from({ length: size }, (_, k) => {
        const at = now + ((start + k) % (14 * 24)) * 3_600_000;
        return { event_id: `bulk-${start + k}`, source: 'graph' as const, title: 'Bulk', start_at: at, end_at: at + 1_800_000, organizer_email: user.email, user_id: user.id, status: 'plan_sent' as const, created_at: now, updated_at: now };
      })).returning(['id', 'end_at']).execute();
      await tx.insertInto('jobs').values(rows.map((r) => ({
        kind: SEND_REMINDER.name, lane: SEND_REMINDER.lane, payload: JSON.stringify({ meetingId: r.id }), run_at: Number(r.end_at) + 60_000, status: 'pending' as const,
        attempts: 0, max_attempts: 8, dedupe_key: `${SEND_REMINDER.name}:${r.id}`, meeting_id: r.id, created_at: now, updated_at: now,
      }))).execute();
    });
  }
  const claims: number[] = [];
  const nexts: number[] = [];
  for (let i = 0; i < 21; i++) {
    // Nothing is due yet: this is the query every runner tick makes, plus its next-wake question.
    let t = performance.now();
    await store.jobs.claimDue({ owner: 'bench', now, leaseMs: 60_000, limit: 4, lane: SEND_REMINDER.lane });
    claims.push(performance.now() - t);
    t = performance.now();
    await store.jobs.nextWakeAt([SEND_REMINDER.lane]);
    nexts.push(performance.now() - t);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { claim: median(claims), next: median(nexts) };
}

/** A fresh SQLite store (the embedded default) in a temporary directory. */
async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-bench-reminders-'));
  const store = await openStore({ sqlitePath: join(dir, 'rolplay.db') });
  try {
    return await fn(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
