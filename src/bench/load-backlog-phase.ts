import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../store/open-store.js';
import type { BenchFigure } from './bench-result.js';
import { sleep, type Children } from './load-children.js';
import { createBenchStore, startDaemons, type BenchStore } from './load-daemon.js';
import type { LoadRig } from './load-rig.js';
import { seedSendBacklog, seedUsers } from './load-seed.js';
import { timePerJob, type DrainSample } from './load-summary.js';

export interface BacklogPhaseOptions {
  jobs: number;
  /** The drain is watched this long at most. */
  limitMs: number;
  /** Due jobs in the store for the claim query's own time. */
  claimJobs: number;
}

const FINISHED = ['done', 'failed', 'cancelled'];

/**
 * A real `rolplay start` (SQLite) starting on `jobs` WhatsApp sends that are all due, as after
 * a day of downtime. The bench process counts the finished ones every 500 ms from the store
 * and compares the time per job near the start of the drain (jobs 1-11 %: the first 1 % carries
 * the start-up) with the time per job near its end (the last 10 %): a claim whose cost grows
 * with the backlog makes the start slower than the end. When the drain does not finish within
 * `limitMs`, the bench stops the daemon, marks every pending job but the last 10 % done itself
 * (the rows stay, as after a real drain), and starts a daemon again on what is left, so that
 * the end is still measured in bounded time; the figure's name says so.
 */
export async function runBacklogPhase(children: Children, rig: LoadRig, options: BacklogPhaseOptions, section: string): Promise<BenchFigure[]> {
  const { jobs, limitMs } = options;
  const warm = Math.round(jobs * 0.01);
  const tenth = Math.round(jobs * 0.1);
  const count = jobs.toLocaleString('en-US');
  const figures: BenchFigure[] = [];
  const store = await createBenchStore('sqlite', '');
  try {
    const seeding = await store.open();
    try {
      await seedSendBacklog(seeding, await seedUsers(seeding, 200, 0), jobs);
    } finally {
      await seeding.close();
    }
    const counting = await store.open();
    try {
      const first = await watchDrain(children, rig, store, counting, jobs, limitMs);
      const done = first.at(-1)?.finished ?? 0;
      figures.push({ section, name: `${count} due sends: finished in the first ${Math.round(limitMs / 1000)} s`, value: done, unit: `of ${jobs}` });
      const start = timePerJob(first, warm, Math.min(warm + tenth, done));
      let end: number | undefined;
      let endName = 'time per job, the last 10 %';
      if (done >= jobs) {
        end = timePerJob(first, jobs - tenth, jobs);
      } else {
        const left = Math.min(tenth, jobs - done);
        await markDoneAllBut(counting, left);
        const second = await watchDrain(children, rig, store, counting, left, limitMs);
        end = timePerJob(second, Math.min(warm, left >> 1), Math.min(left, second.at(-1)?.finished ?? 0));
        endName = 'time per job, last 10 % (bench skipped the middle)';
      }
      if (start !== undefined) figures.push({ section, name: 'time per job, jobs 1-11 % of the backlog', value: start, unit: 'ms' });
      if (end !== undefined) figures.push({ section, name: endName, value: end, unit: 'ms' });
      if (start !== undefined && end !== undefined) {
        figures.push({ section, name: 'time per job, start / end of the drain', value: start / end, unit: 'ratio', goal: '<= 1.2' });
      }
    } finally {
      await counting.close();
    }
  } finally {
    await store.dispose();
  }
  const claim = await claimQueryTimes([10, options.claimJobs]);
  const many = options.claimJobs.toLocaleString('en-US');
  figures.push(
    { section, name: 'claim query, 10 due jobs (median)', value: claim[0]!, unit: 'ms' },
    { section, name: `claim query, ${many} due jobs (median)`, value: claim[1]!, unit: 'ms' },
    { section, name: `claim query, ${many} / 10 due jobs`, value: claim[1]! / claim[0]!, unit: 'ratio', goal: '<= 1.2' },
  );
  return figures;
}

/**
 * Starts a daemon on the store and samples how many jobs finished since it started, every
 * 500 ms, until `target` did or `limitMs` passed; then stops it (gracefully).
 */
async function watchDrain(children: Children, rig: LoadRig, store: BenchStore, counting: Store, target: number, limitMs: number): Promise<DrainSample[]> {
  const finishedNow = async () => {
    const counts = await counting.jobs.countByStatus();
    return FINISHED.reduce((n, s) => n + (counts[s] ?? 0), 0);
  };
  const before = await finishedNow();
  const daemon = await startDaemons(children, store, rig, 1);
  const samples: DrainSample[] = [];
  try {
    const deadline = Date.now() + limitMs;
    for (;;) {
      if (daemon.processes.some((p) => p.child.exitCode !== null || p.child.signalCode !== null)) {
        throw new Error(`rolplay start exited during the drain; its stderr ends with:\n${daemon.processes[0]!.stderrTail().slice(-1500)}`);
      }
      const finished = (await finishedNow()) - before;
      samples.push({ at: Date.now(), finished });
      if (finished >= target || Date.now() >= deadline) return samples;
      await sleep(500);
    }
  } finally {
    await daemon.stop();
  }
}

/** Marks every pending job done except the `keep` that the daemon would claim last (same run_at: highest ids). */
async function markDoneAllBut(store: Store, keep: number): Promise<void> {
  const cutoff = await store.db.selectFrom('jobs').select('id').where('status', '=', 'pending')
    .orderBy('run_at', 'desc').orderBy('id', 'desc').offset(keep - 1).limit(1).executeTakeFirst();
  if (!cutoff) return;
  await store.db.updateTable('jobs').set({ status: 'done', updated_at: Date.now() })
    .where('status', '=', 'pending').where('id', '<', cutoff.id).execute();
}

/** The claim query's own time (store.jobs.claimDue, in this process) on SQLite stores holding each number of due jobs. */
async function claimQueryTimes(dueCounts: number[]): Promise<number[]> {
  const times: number[] = [];
  for (const due of dueCounts) {
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-bench-claim-'));
    const store = await openStore({ sqlitePath: join(dir, 'rolplay.db') });
    try {
      const past = Date.now() - 60_000;
      await seedSendBacklog(store, await seedUsers(store, 50, 0), due, past);
      const ms: number[] = [];
      for (let i = 0; i < 21; i++) {
        const t = performance.now();
        // One claim of the whatsapp lane, as the runner makes it (limit: the lane's default concurrency).
        const claimed = await store.jobs.claimDue({ owner: 'bench', now: Date.now(), leaseMs: 60_000, limit: 16, lane: 'whatsapp' });
        ms.push(performance.now() - t);
        // Put them back, so every claim sees the same number of due jobs.
        for (const job of claimed) await store.jobs.retryAt(job.id, 'bench', past, 'bench', Date.now());
      }
      times.push([...ms].sort((a, b) => a - b)[10]!);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return times;
}
