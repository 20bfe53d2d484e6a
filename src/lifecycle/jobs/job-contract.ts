import type { JobRow } from '../../store/database.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import type { Services } from '../services.js';
import type { JobKind } from './job-kind.js';

export interface JobContext<P> {
  job: JobRow;
  /** The payload, checked against the kind's schema. */
  payload: P;
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
export type JobHandler<P> = (ctx: JobContext<P>) => Promise<unknown>;

/**
 * A kind and the use case that runs it, built from the services. `handler` returns undefined
 * when the service it needs is not configured: the kind's lane is then not claimed.
 */
export interface JobDefinition<P> {
  kind: JobKind<P>;
  handler(services: Services): JobHandler<P> | undefined;
}

export function defineJob<P>(kind: JobKind<P>, handler: (services: Services) => JobHandler<P> | undefined): JobDefinition<P> {
  return { kind, handler };
}

/** Definitions of kinds with different payloads, side by side (handlers check their own). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

/** A kind with its handler bound to this process's services (what the runner runs). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface RunnableJob<P = any> {
  kind: JobKind<P>;
  handle: JobHandler<P> | undefined;
}
