import type { Clock } from '../../support/clock.js';
import type { JobRow } from '../../store/database.js';
import type { EnqueueInput } from '../../store/jobs-repo.js';
import type { Store } from '../../store/open-store.js';
import type { JobKind, JobRequest } from './job-kind.js';
import { JobPayloadError } from './job-payload.js';

export interface JobQueue {
  enqueue<P>(request: JobRequest<P>): Promise<{ job: JobRow; created: boolean }>;
  /** Tells the local runner to look again (after moving a pending job earlier, for instance). */
  wake(): void;
}

/**
 * Told when jobs were added: the lane they are in, or undefined for "look at every lane", and
 * whether the job has a queue key (it may wait for a job of another lane).
 */
export type WakeRunner = (lane?: string, keyed?: boolean) => void;

/** Writes jobs to the store and nudges the local runner so a job due now runs now. */
export function createJobQueue(store: Store, clock: Clock, maxAttempts: number, onEnqueued: WakeRunner = () => undefined): JobQueue {
  return {
    async enqueue(request) {
      const now = clock.now();
      const input = enqueueInput(request, now, maxAttempts);
      const result = await store.jobs.enqueue(input, now);
      if (result.created) onEnqueued(input.lane, input.queueKey !== null);
      return result;
    },
    wake: () => onEnqueued(),
  };
}

/**
 * The row a request becomes. The payload is checked against its kind's schema here, so a job
 * that could never run is refused when it is made, not hours later when it is claimed.
 */
export function enqueueInput<P>(request: JobRequest<P>, now: number, defaultMaxAttempts: number): EnqueueInput {
  const { kind } = request;
  return {
    kind: kind.name,
    payload: checkedPayload(kind, request.payload),
    runAt: request.runAt ?? now,
    dedupeKey: request.dedupeKey,
    meetingId: request.meetingId ?? null,
    maxAttempts: request.maxAttempts ?? Math.min(defaultMaxAttempts, kind.maxAttempts ?? defaultMaxAttempts),
    lane: kind.lane,
    priority: request.priority ?? kind.priority,
    queueKey: request.queueKey ?? null,
  };
}

function checkedPayload<P>(kind: JobKind<P>, payload: P): P {
  const parsed = kind.payload.safeParse(payload);
  if (!parsed.success) throw new JobPayloadError(kind.name, parsed.error);
  return parsed.data;
}
