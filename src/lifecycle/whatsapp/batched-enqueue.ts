import type { JobRow } from '../../store/database.js';
import type { EnqueueInput } from '../../store/jobs-repo.js';
import type { JobRequest } from '../jobs/job-kind.js';
import { enqueueInput } from '../jobs/job-queue.js';
import type { Services } from '../services.js';

export type Enqueue = <P>(request: JobRequest<P>) => Promise<{ job: JobRow; created: boolean }>;

interface Pending {
  input: EnqueueInput;
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
      // Rows are locked in one order in every batch (queue key, then dedupe key; arrival order
      // within one queue key, which is the order its jobs must run in): two batches holding the
      // same keys (Twilio's retry racing the original) then wait for each other instead of
      // deadlocking. A dedupe key twice in one batch is written once.
      const order = batch.map((_, i) => i).sort((a, b) => compareLockOrder(batch[a]!.input, batch[b]!.input) || a - b);
      const results = await services.store.transaction(async ({ jobs }) => {
        const out: Array<{ job: JobRow; created: boolean }> = new Array(batch.length);
        const byKey = new Map<string, JobRow>();
        for (const i of order) {
          const { input } = batch[i]!;
          const earlier = byKey.get(input.dedupeKey);
          if (earlier) {
            out[i] = { job: earlier, created: false };
            continue;
          }
          out[i] = await jobs.enqueue({ ...input, runAt: input.runAt || now }, now);
          byKey.set(input.dedupeKey, out[i]!.job);
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
    // Checked now, so one bad payload is refused alone instead of failing the whole batch.
    const input = enqueueInput(request, 0, services.config.jobs.maxAttempts);
    pending.push({ input, resolve, reject });
    if (pending.length >= maxBatch) {
      void flush();
    } else if (!scheduled) {
      scheduled = true;
      setImmediate(() => void flush());
    }
  });
}

function compareLockOrder(a: EnqueueInput, b: EnqueueInput): number {
  const qa = a.queueKey ?? '';
  const qb = b.queueKey ?? '';
  if (qa !== qb) return qa < qb ? -1 : 1;
  if (qa !== '') return 0;
  return a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0;
}
