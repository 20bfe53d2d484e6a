import { randomUUID } from 'node:crypto';
import type { Logger } from '../support/logger.js';
import type { Clock, TimerHandle } from '../support/clock.js';
import { errorMessage } from '../support/errors.js';
import type { BackoffPolicy } from '../support/backoff.js';
import type { Metrics } from '../support/metrics.js';
import type { JobRow } from '../store/database.js';
import type { Store } from '../store/open-store.js';
import type { RunnableJob } from '../lifecycle/jobs/job-contract.js';
import { JobLanes } from './job-lanes.js';
import { runClaimedJob, type JobOutcome } from './run-claimed-job.js';

export type { JobOutcome } from './run-claimed-job.js';

/** A job whose attempt failed in a runDue() pass: 'retry' runs again later, 'failed' gave up. */
export interface JobFailure {
  id: number;
  kind: string;
  outcome: 'retry' | 'failed';
  error: string | undefined;
}

export interface JobRunnerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Every kind this process knows, with its handler (undefined: its service is not configured). */
  jobs: RunnableJob[];
  /** Jobs of a lane run at once in this process (defaults: LANE_CONCURRENCY). */
  concurrency?: Partial<Record<string, number>>;
  leaseMs: number;
  /** Longest sleep between looks at the table (jobs added by other processes). */
  maxIdleMs?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Called once when a job gives up for good (e.g. tell the admin). */
  onFailed?: (job: JobRow, error: unknown) => Promise<void>;
  owner?: string;
  /** Each outcome's duration and attempts, and permanent failures by provider and code. */
  metrics?: Pick<Metrics, 'jobFinished' | 'permanentFailure'>;
}

/** How often waiting jobs whose queue has no head are looked for (a safety net; see repairQueues). */
const REPAIR_EVERY_MS = 60_000;
/** How often a lane looks for jobs whose lease ran out (their process died). */
const LEASE_CHECK_MS = 1000;

/**
 * Runs due jobs, lane by lane: each lane has its own slots and is claimed on its own, so a
 * backlog in one never delays another. It sleeps until the earliest due time (a job due at
 * 10:31:00 runs then, not on a sweep), claims atomically, retries retryable errors with jittered
 * exponential backoff (or the provider's Retry-After), gives up after max_attempts, and picks up
 * jobs whose lease ran out because their process died.
 */
export class JobRunner {
  readonly owner: string;
  private readonly lanes: JobLanes;
  private readonly byKind: Map<string, RunnableJob>;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly runningIds = new Set<number>();
  /**
   * Lanes whose jobs use queue keys (seen run or enqueued here): a finished keyed job may have
   * promoted one of theirs. Without the enqueued ones, a reply queued behind its inbound message
   * in another lane waited for that lane's next lease check (a second) the first time.
   */
  private readonly keyedLanes = new Set<string>();
  private timer: TimerHandle | undefined;
  private running = false;
  private ticking: Promise<void> | undefined;
  private again = false;
  private repairedAt = Number.NEGATIVE_INFINITY;
  private prepared: Promise<void> | undefined;
  private readonly leasesCheckedAt = new Map<string, number>();

  constructor(private readonly options: JobRunnerOptions) {
    this.owner = options.owner ?? `rolplay-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.lanes = new JobLanes(options.jobs, options.concurrency);
    this.byKind = new Map(options.jobs.map((j) => [j.kind.name, j]));
  }

  /** Kinds whose service is not configured: their jobs wait. */
  get waitingKinds(): string[] {
    return this.lanes.idle;
  }

  get kinds(): string[] {
    return [...this.byKind.values()].filter((j) => j.handle).map((j) => j.kind.name);
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  /**
   * Look at the table now (all lanes, or those named: after enqueueing, or when a job finished).
   * `keyed`: the job just enqueued in these lanes has a queue key, so it may be waiting for a job
   * of another lane; when that one finishes, these lanes are looked at again at once.
   */
  wake(lanes?: Iterable<string>, options: { keyed?: boolean } = {}): void {
    if (options.keyed && lanes) for (const lane of lanes) this.keyedLanes.add(lane);
    this.lanes.mark(lanes);
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    // Ticks start on the next turn of the event loop, so the jobs that finish together (and the
    // enqueues of one webhook batch) are claimed for in one tick, not one tick each.
    this.ticking = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.tick()).finally(() => {
      this.ticking = undefined;
      if (this.again) {
        this.again = false;
        this.wake([]);
      }
    });
  }

  /**
   * Stops claiming at once (synchronously, so nothing new starts once shutdown begins), then
   * waits for in-flight jobs to finish.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    await this.ticking;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Ids of the jobs running now (logged when shutdown cannot wait for them). */
  get inFlightJobs(): number[] {
    return [...this.runningIds];
  }

  /**
   * One pass: runs every job due now (and those that fall due while it runs), then returns how
   * many ran. Jobs whose attempt failed (retried later or given up) are added to `failures`.
   */
  async runDue(failures?: JobFailure[]): Promise<number> {
    await this.prepare();
    let total = 0;
    for (;;) {
      const { clock } = this.options;
      const batches = await Promise.all(this.lanes.names.map((lane) => this.claim(lane, Math.max(1, this.lanes.free(lane)), clock.now())));
      const jobs = batches.flat();
      if (jobs.length === 0) return total;
      total += jobs.length;
      await Promise.all(jobs.map(async (job) => {
        const outcome = await this.execute(job);
        if (failures && (outcome === 'retry' || outcome === 'failed')) {
          const row = await this.options.store.jobs.byId(job.id).catch(() => undefined);
          failures.push({ id: job.id, kind: job.kind, outcome, error: row?.last_error ?? undefined });
        }
      }));
    }
  }

  /** Claims and runs one specific pending job now (the CLI delivering a welcome at once). */
  async runJob(id: number): Promise<{ outcome: JobOutcome | 'not-claimable'; job: JobRow | undefined }> {
    const { store, clock, leaseMs } = this.options;
    const job = await store.jobs.claimById(id, { owner: this.owner, now: clock.now(), leaseMs });
    if (!job) return { outcome: 'not-claimable', job: await store.jobs.byId(id) };
    const outcome = await this.execute(job);
    return { outcome, job: await store.jobs.byId(id) };
  }

  /** Once per process: rows written before lanes existed, or under another lane, move to their kind's lane. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      const { store, clock, logger, jobs } = this.options;
      const moved = await store.jobs.assignLanes(jobs.map((j) => ({ kind: j.kind.name, lane: j.kind.lane })), clock.now());
      if (moved > 0) logger.info({ jobs: moved }, 'queued jobs moved to their lanes');
    })().catch((error: unknown) => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  private async tick(): Promise<void> {
    const { store, clock, logger } = this.options;
    this.timer?.cancel();
    this.timer = undefined;
    // stop() may have come between wake() and this tick: claim nothing once shutdown began.
    if (!this.running) return;
    try {
      await this.prepare();
      const now = clock.now();
      if (now - this.repairedAt >= REPAIR_EVERY_MS) {
        this.repairedAt = now;
        const repaired = await store.jobs.repairQueues(now);
        if (repaired > 0) logger.warn({ jobs: repaired }, 'queued jobs whose turn had been lost were released');
      }
      let claimedAny = false;
      for (const lane of this.lanes.toClaim(now)) {
        if (!this.running) return;
        const free = this.lanes.free(lane);
        const marks = this.lanes.marksOf(lane);
        const jobs = await this.claim(lane, free, now);
        this.lanes.claimed(lane, jobs.length, jobs.length === free, marks);
        if (jobs.length === free) this.again = true;
        claimedAny ||= jobs.length > 0;
        for (const job of jobs) this.start1(job);
      }
      if (this.again || !this.running) return;
      const idleUntil = clock.now() + (this.options.maxIdleMs ?? 15_000);
      for (const lane of this.lanes.unknownNext()) {
        let at = await store.jobs.nextWakeAt([lane]);
        // Due already yet not claimed: a lease that ran out, looked for again within LEASE_CHECK_MS.
        if (at !== undefined && at <= now) at = Math.max(at, (this.leasesCheckedAt.get(lane) ?? now) + LEASE_CHECK_MS);
        this.lanes.setNext(lane, at, idleUntil);
      }
      const next = this.lanes.earliest() ?? idleUntil;
      // Never spin: if nothing could be claimed, look again no sooner than 1 ms from now.
      const delay = Math.max(claimedAny ? 0 : 1, next - clock.now());
      if (this.running) this.timer = clock.setTimer(() => this.wake([]), delay);
    } catch (error) {
      logger.error({ err: errorMessage(error) }, 'job runner could not read the job table; retrying in 5 s');
      this.lanes.mark();
      if (this.running) this.timer = clock.setTimer(() => this.wake(), 5000);
    }
  }

  private start1(job: JobRow): void {
    // execute() settles every outcome itself; this catch only keeps a surprise from becoming an
    // unhandled rejection, which would end the daemon.
    const p: Promise<void> = this.execute(job).then(() => undefined, (error: unknown) => {
      this.options.logger.error({ job: job.id, kind: job.kind, err: errorMessage(error) }, 'job runner error');
    }).finally(() => {
      this.inFlight.delete(p);
      this.lanes.finished(job.lane);
      // The next job of its queue key may now be pending, in its own lane.
      this.wake(job.queue_key ? [job.lane, ...this.keyedLanes] : [job.lane]);
    });
    this.inFlight.add(p);
  }

  private claim(lane: string, limit: number, now: number): Promise<JobRow[]> {
    const { store, leaseMs } = this.options;
    if (limit <= 0) return Promise.resolve([]);
    // Leases run for minutes: looking for expired ones about once a second per lane is plenty,
    // and spares a statement at almost every claim under load.
    const expired = now - (this.leasesCheckedAt.get(lane) ?? Number.NEGATIVE_INFINITY) >= LEASE_CHECK_MS;
    if (expired) this.leasesCheckedAt.set(lane, now);
    return store.jobs.claimDue({ owner: this.owner, now, leaseMs, limit, lane, expired });
  }

  private async execute(job: JobRow): Promise<JobOutcome> {
    this.runningIds.add(job.id);
    if (job.queue_key) this.keyedLanes.add(job.lane);
    const started = performance.now();
    try {
      const outcome = await runClaimedJob(job, this.byKind.get(job.kind), { ...this.options, owner: this.owner });
      this.options.metrics?.jobFinished({ kind: job.kind, result: outcome, seconds: (performance.now() - started) / 1000, attempts: job.attempts });
      return outcome;
    } finally {
      this.runningIds.delete(job.id);
    }
  }
}
