import { randomUUID } from 'node:crypto';
import type { Logger } from '../support/logger.js';
import type { Clock, TimerHandle } from '../support/clock.js';
import { TransientError, errorMessage, isRetryable, retryAfterOf } from '../support/errors.js';
import type { JobRow } from '../store/database.js';
import type { Store } from '../store/open-store.js';

export interface JobContext {
  job: JobRow;
  payload: Record<string, unknown>;
  /** 1 on the first try. */
  attempt: number;
  logger: Logger;
  clock: Clock;
  /** Progress saved so far (JSON from job.result), for handlers that resume. */
  progress: unknown;
  /** Persists progress while the job runs; false if this worker lost the lease. */
  saveProgress(result: unknown): Promise<boolean>;
}

/** Does one side effect. The return value is stored as the job's result. */
export type JobHandler = (ctx: JobContext) => Promise<unknown>;

export interface JobRunnerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  handlers: Record<string, JobHandler>;
  leaseMs: number;
  /** Jobs run at once in this process. */
  concurrency?: number;
  /** Longest sleep between looks at the table (jobs added by other processes). */
  maxIdleMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  /** Called once when a job gives up for good (e.g. tell the admin). */
  onFailed?: (job: JobRow, error: unknown) => Promise<void>;
  owner?: string;
}

/** 'unrecorded': the store refused the outcome; the lease runs out and the job resumes from its progress. */
export type JobOutcome = 'done' | 'retry' | 'failed' | 'lost-lease' | 'unrecorded';

/**
 * Runs due jobs. It sleeps until the earliest due time (so a job due at 10:31:00 runs then,
 * not on a sweep), claims atomically, retries retryable errors with jittered exponential
 * backoff (or the provider's Retry-After), gives up after max_attempts, and picks up jobs
 * whose lease ran out because their process died.
 */
export class JobRunner {
  readonly owner: string;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly runningIds = new Set<number>();
  private timer: TimerHandle | undefined;
  private running = false;
  private ticking: Promise<void> | undefined;
  private again = false;
  private lanesAssigned = false;
  private nextLane = 0;

  constructor(private readonly options: JobRunnerOptions) {
    this.owner = options.owner ?? `rolplay-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  get kinds(): string[] {
    return Object.keys(this.options.handlers);
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  /** Look at the table now (after enqueueing, or when a job finished). */
  wake(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick().finally(() => {
      this.ticking = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
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

  /** One pass: runs every job due now (and those that fall due while it runs), then returns. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = await this.claim(this.options.concurrency ?? 4);
      if (jobs.length === 0) return total;
      total += jobs.length;
      await Promise.all(jobs.map((job) => this.execute(job)));
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

  private async tick(): Promise<void> {
    const { store, clock, logger } = this.options;
    this.timer?.cancel();
    this.timer = undefined;
    try {
      const free = (this.options.concurrency ?? 4) - this.inFlight.size;
      let claimed = 0;
      if (free > 0) {
        const jobs = await this.claim(free);
        claimed = jobs.length;
        for (const job of jobs) {
          // execute() settles every outcome itself; this catch only keeps a surprise from
          // becoming an unhandled rejection, which would end the daemon.
          const p: Promise<void> = this.execute(job).then(() => undefined, (error: unknown) => {
            logger.error({ job: job.id, kind: job.kind, err: errorMessage(error) }, 'job runner error');
          }).finally(() => {
            this.inFlight.delete(p);
            this.wake();
          });
          this.inFlight.add(p);
        }
        if (jobs.length === free) {
          this.again = true;
          return;
        }
      }
      if (!this.running) return;
      const next = await store.jobs.nextWakeAt(this.kinds);
      const idle = this.options.maxIdleMs ?? 15_000;
      // Never spin: if nothing could be claimed, look again no sooner than 1 ms from now.
      const delay = next === undefined ? idle : Math.min(idle, Math.max(claimed === 0 ? 1 : 0, next - clock.now()));
      if (this.running) this.timer = clock.setTimer(() => this.wake(), delay);
    } catch (error) {
      logger.error({ err: errorMessage(error) }, 'job runner could not read the job table; retrying in 5 s');
      if (this.running) this.timer = clock.setTimer(() => this.wake(), 5000);
    }
  }

  /** Until job definitions name lanes, each kind is its own lane (the enqueue side sets lane = kind). */
  private async claim(limit: number): Promise<JobRow[]> {
    const { store, clock, leaseMs } = this.options;
    if (!this.lanesAssigned) {
      await store.jobs.assignLanes(this.kinds.map((kind) => ({ kind, lane: kind })), clock.now());
      this.lanesAssigned = true;
    }
    // Each claim starts at the next lane, so a backlog in one lane cannot starve the others.
    const lanes = this.kinds;
    const first = this.nextLane++ % Math.max(1, lanes.length);
    const jobs: JobRow[] = [];
    for (const lane of [...lanes.slice(first), ...lanes.slice(0, first)]) {
      if (jobs.length >= limit) break;
      jobs.push(...await store.jobs.claimDue({ owner: this.owner, now: clock.now(), leaseMs, lane, limit: limit - jobs.length }));
    }
    return jobs;
  }

  private async execute(job: JobRow): Promise<JobOutcome> {
    this.runningIds.add(job.id);
    try {
      return await this.executeClaimed(job);
    } finally {
      this.runningIds.delete(job.id);
    }
  }

  private async executeClaimed(job: JobRow): Promise<JobOutcome> {
    const { store, clock, handlers, leaseMs } = this.options;
    const logger = this.options.logger.child({ job: job.id, kind: job.kind, attempt: job.attempts });
    const handler = handlers[job.kind];
    if (!handler) {
      return this.record(logger, async () => {
        await store.jobs.fail(job.id, this.owner, `no handler for job kind "${job.kind}"`, clock.now());
        return 'failed';
      });
    }
    // Keep the lease alive while a slow call runs, so no other worker takes the job over.
    let renew: TimerHandle | undefined;
    let settled = false;
    // A renewal still in flight when the job ends must not re-arm: the lease of a job whose
    // outcome the store refused has to run out, so that the job is picked up again.
    const keepAlive = () => {
      if (settled) return;
      renew = clock.setTimer(() => {
        void store.jobs.renewLease(job.id, this.owner, clock.now() + leaseMs, clock.now()).then((held) => held && keepAlive(), () => keepAlive());
      }, Math.max(1000, Math.floor(leaseMs / 3)));
    };
    keepAlive();
    let result: unknown;
    try {
      result = await handler({
        job,
        payload: parseJson(job.payload) as Record<string, unknown>,
        attempt: job.attempts,
        logger,
        clock,
        progress: job.result === null ? undefined : parseJson(job.result),
        saveProgress: (progress) => store.jobs.saveResult(job.id, this.owner, progress, clock.now()),
      });
    } catch (error) {
      settled = true;
      renew?.cancel();
      return this.record(logger, () => this.handleError(job, error, logger));
    }
    settled = true;
    renew?.cancel();
    return this.record(logger, async () => {
      if (!(await store.jobs.complete(job.id, this.owner, result, clock.now()))) {
        logger.warn('job finished after its lease was taken over; its result was not recorded');
        return 'lost-lease';
      }
      logger.debug('job done');
      return 'done';
    });
  }

  /**
   * Writes a job's outcome. When the store refuses (locked, disk full), the job is left as a
   * crash would leave it: claimed until its lease runs out, then run again, resuming from its
   * saved progress; re-running the handler here could repeat a side effect the store missed.
   */
  private async record(logger: Logger, write: () => Promise<JobOutcome>): Promise<JobOutcome> {
    try {
      return await write();
    } catch (error) {
      logger.error({ err: errorMessage(error) }, 'could not record the job outcome; it runs again after its lease expires');
      return 'unrecorded';
    }
  }

  private async handleError(job: JobRow, error: unknown, logger: Logger): Promise<JobOutcome> {
    const { store, clock } = this.options;
    const message = errorMessage(error).slice(0, 2000);
    const now = clock.now();
    if (error instanceof TransientError && error.deferral) {
      const runAt = now + error.retryAfterMs!;
      await store.jobs.deferTo(job.id, this.owner, runAt, message, now);
      logger.info({ reason: message, retryInSeconds: Math.round((runAt - now) / 1000) }, 'job waits; the attempt does not count');
      return 'retry';
    }
    if (isRetryable(error) && job.attempts < job.max_attempts) {
      const runAt = now + this.delayFor(job.attempts, retryAfterOf(error));
      await store.jobs.retryAt(job.id, this.owner, runAt, message, now);
      logger.warn({ err: message, retryInSeconds: Math.round((runAt - now) / 1000) }, 'job failed; will retry');
      return 'retry';
    }
    await store.jobs.fail(job.id, this.owner, message, now);
    logger.error({ err: message }, isRetryable(error) ? 'job failed after its last attempt' : 'job failed permanently');
    try {
      await this.options.onFailed?.(job, error);
    } catch (alertError) {
      logger.error({ err: errorMessage(alertError) }, 'could not record the failure alert');
    }
    return 'failed';
  }

  /** Jittered exponential backoff; a server-requested wait wins when it is longer. */
  delayFor(attempt: number, retryAfterMs?: number): number {
    const base = this.options.backoffBaseMs ?? 5000;
    const max = this.options.backoffMaxMs ?? 3_600_000;
    const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
    const jittered = exp * (0.5 + (this.options.random ?? Math.random)());
    return Math.round(Math.max(Math.min(jittered, max), retryAfterMs ?? 0));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
