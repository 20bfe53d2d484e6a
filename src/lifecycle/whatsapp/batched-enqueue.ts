import { createRepositories } from '../../store/repositories.js';
import type { JobRow } from '../../store/database.js';
import type { EnqueueRequest } from '../jobs/job-queue.js';
import type { Services } from '../services.js';

export type Enqueue = (request: EnqueueRequest) => Promise<{ job: JobRow; created: boolean }>;

interface Pending {
  request: EnqueueRequest;
  resolve: (value: { job: JobRow; created: boolean }) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for bursts of webhooks: enqueues that arrive in the same turn of the event loop
 * are written in one transaction (one commit instead of one each), then the runner is woken
 * once. Each caller still learns whether its own job was new, and nobody is answered before
 * the transaction holding their job has committed.
 */
export function createBatchedEnqueue(services: Pick<Services, 'store' | 'clock' | 'queue' | 'config'>, maxBatch = 200): Enqueue {
  let pending: Pending[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    const now = services.clock.now();
    try {
      // Rows are locked in dedupe-key order, the same in every batch: two batches holding the
      // same keys (Twilio's retry racing the original) then wait for each other instead of
      // deadlocking. A key twice in one batch is written once.
      const key = (i: number) => batch[i]!.request.dedupeKey;
      const order = batch.map((_, i) => i).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      const results = await services.store.db.transaction().execute(async (tx) => {
        const { jobs } = createRepositories(tx, services.store.dialect);
        const out: Array<{ job: JobRow; created: boolean }> = new Array(batch.length);
        const byKey = new Map<string, JobRow>();
        for (const i of order) {
          const { request } = batch[i]!;
          const earlier = byKey.get(request.dedupeKey);
          if (earlier) {
            out[i] = { job: earlier, created: false };
            continue;
          }
          out[i] = await jobs.enqueue({
            kind: request.kind,
            payload: request.payload ?? {},
            runAt: request.runAt ?? now,
            dedupeKey: request.dedupeKey,
            meetingId: request.meetingId ?? null,
            maxAttempts: request.maxAttempts ?? services.config.jobs.maxAttempts,
            lane: request.kind,
          }, now);
          byKey.set(request.dedupeKey, out[i]!.job);
        }
        return out;
      });
      batch.forEach((p, i) => p.resolve(results[i]!));
      if (results.some((r) => r.created)) services.queue.wake();
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  return (request) => new Promise((resolve, reject) => {
    pending.push({ request, resolve, reject });
    if (pending.length >= maxBatch) {
      void flush();
    } else if (!scheduled) {
      scheduled = true;
      setImmediate(() => void flush());
    }
  });
}
