import type { Services } from '../services.js';
import { createJobQueue } from './job-queue.js';

type TxDeps = Pick<Services, 'store' | 'queue' | 'clock' | 'config'>;

/**
 * Runs `fn` with the store and the job queue bound to one transaction. The local job runner is
 * woken after the commit, so it never looks for a job that is not visible yet.
 */
export async function inTransaction<D extends TxDeps, T>(deps: D, fn: (tx: D) => Promise<T>): Promise<T> {
  let wake = false;
  const result = await deps.store.transaction((store) => {
    const queue = createJobQueue(store, deps.clock, deps.config.jobs.maxAttempts, () => {
      wake = true;
    });
    return fn({ ...deps, store, queue });
  });
  if (wake) deps.queue.wake();
  return result;
}
