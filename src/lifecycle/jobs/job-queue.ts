import type { Clock } from '../../support/clock.js';
import type { JobRow } from '../../store/database.js';
import type { Store } from '../../store/open-store.js';

export interface EnqueueRequest {
  kind: string;
  payload?: Record<string, unknown>;
  /** Epoch ms; default now. */
  runAt?: number;
  /** One job per side effect: enqueueing the same key again returns the existing job. */
  dedupeKey: string;
  meetingId?: number | null;
  maxAttempts?: number;
}

export interface JobQueue {
  enqueue(request: EnqueueRequest): Promise<{ job: JobRow; created: boolean }>;
  /** Tells the local runner to look again (after moving a pending job earlier, for instance). */
  wake(): void;
}

/** Writes jobs to the store and nudges the local runner so a job due now runs now. */
export function createJobQueue(store: Store, clock: Clock, maxAttempts: number, onEnqueued: () => void = () => undefined): JobQueue {
  return {
    async enqueue(request) {
      const now = clock.now();
      const result = await store.jobs.enqueue({
        kind: request.kind,
        payload: request.payload ?? {},
        runAt: request.runAt ?? now,
        dedupeKey: request.dedupeKey,
        meetingId: request.meetingId ?? null,
        maxAttempts: request.maxAttempts ?? maxAttempts,
        lane: request.kind, // until job definitions name lanes, each kind is its own lane
      }, now);
      if (result.created) onEnqueued();
      return result;
    },
    wake: () => onEnqueued(),
  };
}
