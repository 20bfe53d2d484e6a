import type { Logger } from '../support/logger.js';
import type { Clock, TimerHandle } from '../support/clock.js';
import { TransientError, errorMessage, isRetryable, retryAfterOf } from '../support/errors.js';
import { backoffDelay, type BackoffPolicy } from '../support/backoff.js';
import { failureLabels, type Metrics } from '../support/metrics.js';
import type { JobRow } from '../store/database.js';
import type { Store } from '../store/open-store.js';
import type { RunnableJob } from '../lifecycle/jobs/job-contract.js';
import { JobPayloadError, readPayload } from '../lifecycle/jobs/job-payload.js';

/**
 * 'retry': the attempt failed and the job runs again later; 'deferred': it waits for something
 * (a service to be configured, a moment to pass) without using an attempt; 'unrecorded': the
 * store refused the outcome; the lease runs out and the job resumes from its progress.
 */
export type JobOutcome = 'done' | 'retry' | 'deferred' | 'failed' | 'lost-lease' | 'unrecorded';

export interface RunDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  leaseMs: number;
  owner: string;
  backoff?: Partial<BackoffPolicy>;
  maxIdleMs?: number;
  onFailed?: (job: JobRow, error: unknown) => Promise<void>;
  metrics?: Pick<Metrics, 'permanentFailure'>;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5000, maxMs: 3_600_000 };

/**
 * Runs one claimed job to an outcome the store records: its payload checked against its kind
 * (a row that fails fails at once, with the reason, and blocks nothing else), the handler run
 * with its lease kept alive, then done, retried with backoff, deferred, or failed for good.
 */
export async function runClaimedJob(job: JobRow, runnable: RunnableJob | undefined, deps: RunDeps): Promise<JobOutcome> {
  const { store, clock, leaseMs, owner } = deps;
  const logger = deps.logger.child({ job: job.id, kind: job.kind, attempt: job.attempts });
  if (!runnable) return giveUp(job, new JobPayloadError(job.kind, `no job kind "${job.kind}" is known to this version of rolplay`), logger, deps);
  let payload: unknown;
  try {
    payload = readPayload(runnable.kind, job);
  } catch (error) {
    return giveUp(job, error, logger, deps);
  }
  const handle = runnable.handle;
  if (!handle) {
    // Claimed by id (or from an old row's lane) although its service is not configured: wait.
    const waitMs = deps.maxIdleMs ?? 15_000;
    return record(logger, async () => {
      await store.jobs.deferTo(job.id, owner, clock.now() + waitMs, `${job.kind} waits: the service it needs is not configured`, clock.now());
      return 'deferred';
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
      void store.jobs.renewLease(job.id, owner, clock.now() + leaseMs, clock.now()).then((held) => held && keepAlive(), () => keepAlive());
    }, Math.max(1000, Math.floor(leaseMs / 3)));
  };
  keepAlive();
  let result: unknown;
  try {
    result = await handle({
      job,
      payload,
      attempt: job.attempts,
      logger,
      clock,
      progress: job.result === null ? undefined : parseJson(job.result),
      saveProgress: (progress) => store.jobs.saveResult(job.id, owner, progress, clock.now()),
    });
  } catch (error) {
    settled = true;
    renew?.cancel();
    return record(logger, () => handleError(job, error, logger, deps));
  }
  settled = true;
  renew?.cancel();
  return record(logger, async () => {
    if (!(await store.jobs.complete(job.id, owner, result, clock.now()))) {
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
async function record(logger: Logger, write: () => Promise<JobOutcome>): Promise<JobOutcome> {
  try {
    return await write();
  } catch (error) {
    logger.error({ err: errorMessage(error) }, 'could not record the job outcome; it runs again after its lease expires');
    return 'unrecorded';
  }
}

async function handleError(job: JobRow, error: unknown, logger: Logger, deps: RunDeps): Promise<JobOutcome> {
  const { store, clock, owner } = deps;
  const message = errorMessage(error).slice(0, 2000);
  const now = clock.now();
  if (error instanceof TransientError && error.deferral) {
    const runAt = now + error.retryAfterMs!;
    await store.jobs.deferTo(job.id, owner, runAt, message, now);
    logger.info({ reason: message, retryInSeconds: Math.round((runAt - now) / 1000) }, 'job waits; the attempt does not count');
    return 'deferred';
  }
  if (isRetryable(error) && job.attempts < job.max_attempts) {
    const runAt = now + backoffDelay(job.attempts, { ...DEFAULT_BACKOFF, ...deps.backoff }, retryAfterOf(error));
    await store.jobs.retryAt(job.id, owner, runAt, message, now);
    logger.warn({ err: message, retryInSeconds: Math.round((runAt - now) / 1000) }, 'job failed; will retry');
    return 'retry';
  }
  return giveUp(job, error, logger, deps, message);
}

async function giveUp(job: JobRow, error: unknown, logger: Logger, deps: RunDeps, message = errorMessage(error).slice(0, 2000)): Promise<JobOutcome> {
  const { store, clock, owner } = deps;
  return record(logger, async () => {
    await store.jobs.fail(job.id, owner, message, clock.now());
    deps.metrics?.permanentFailure(failureLabels(error));
    logger.error({ err: message }, isRetryable(error) ? 'job failed after its last attempt' : 'job failed permanently');
    try {
      await deps.onFailed?.(job, error);
    } catch (alertError) {
      logger.error({ err: errorMessage(alertError) }, 'could not record the failure alert');
    }
    return 'failed';
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
