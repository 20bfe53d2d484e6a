import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/support/clock.js';
import { StoreError, TransientError } from '../../src/support/errors.js';
import { silentLogger } from '../../src/support/logger.js';
import { JobRunner } from '../../src/daemon/job-runner.js';
import type { JobHandler } from '../../src/lifecycle/jobs/job-contract.js';
import { testJobs } from '../helpers/test-jobs.js';
import type { Store } from '../../src/store/open-store.js';
import { freshStore, type TestStore } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 5, 10, 30, 0);
let t: TestStore | undefined;
afterEach(async () => t?.dispose());

function runner(store: Store, handlers: Record<string, JobHandler<unknown>>, clock: FakeClock) {
  return new JobRunner({ store, clock, logger: silentLogger(), jobs: testJobs(handlers), leaseMs: 60_000, backoff: { random: () => 0.5 } });
}

async function settle(clock: FakeClock, ms = 0) {
  await clock.advance(ms);
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('JobRunner when stopping and when the store refuses', () => {
  it('claims nothing when stop() comes between a wake-up and the tick it scheduled', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    const ran: string[] = [];
    const r = runner(t.store, { k: async ({ job }) => { ran.push(job.dedupe_key); } }, clock);
    await t.store.jobs.enqueue({ lane: 'timely', kind: 'k', runAt: T0, dedupeKey: 'late', maxAttempts: 3 }, T0);
    r.start();
    await r.stop();
    await settle(clock, 1000);
    expect(ran).toEqual([]);
    expect(await t.store.jobs.byDedupeKey('late')).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('claims nothing once stop() has begun, while the job in flight finishes', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    const ran: string[] = [];
    let release!: () => void;
    const r = runner(t.store, {
      k: ({ job }) => {
        ran.push(job.dedupe_key);
        return job.dedupe_key === 'first' ? new Promise<void>((resolve) => { release = resolve; }) : Promise.resolve();
      },
    }, clock);
    await t.store.jobs.enqueue({ lane: 'timely', kind: 'k', runAt: T0, dedupeKey: 'first', maxAttempts: 3 }, T0);
    r.start();
    await settle(clock);
    expect(r.inFlightJobs).toHaveLength(1);
    const stopped = r.stop();
    // Queued during the drain (a webhook, say), and the first job finishing wakes the runner.
    await t.store.jobs.enqueue({ lane: 'timely', kind: 'k', runAt: T0, dedupeKey: 'second', maxAttempts: 3 }, T0);
    r.wake();
    release();
    await stopped;
    await settle(clock, 1000);
    expect(ran).toEqual(['first']);
    expect(await t.store.jobs.byDedupeKey('first')).toMatchObject({ status: 'done' });
    expect(await t.store.jobs.byDedupeKey('second')).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('survives a store that cannot record an outcome: the job is left as a crash leaves it and runs again after its lease', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    let full = true;
    const jobs = Object.create(t.store.jobs) as Store['jobs'];
    const refuse = (write: (...args: never[]) => Promise<boolean>) => (...args: never[]) => {
      if (full) return Promise.reject(new StoreError('the disk is full (test)', { reason: 'full', retryable: true }));
      return write.apply(t!.store.jobs, args);
    };
    jobs.complete = refuse(t.store.jobs.complete);
    jobs.retryAt = refuse(t.store.jobs.retryAt);
    const calls: Array<{ key: string; attempt: number }> = [];
    const r = runner({ ...t.store, jobs }, {
      ok: async ({ job, attempt }) => { calls.push({ key: job.dedupe_key, attempt }); },
      boom: async ({ job, attempt }) => {
        calls.push({ key: job.dedupe_key, attempt });
        throw new TransientError('handler failed');
      },
    }, clock);
    await t.store.jobs.enqueue({ lane: 'timely', kind: 'ok', runAt: T0, dedupeKey: 'a', maxAttempts: 3 }, T0);
    await t.store.jobs.enqueue({ lane: 'timely', kind: 'boom', runAt: T0, dedupeKey: 'b', maxAttempts: 3 }, T0);
    r.start();
    await settle(clock);
    expect(await t.store.jobs.byDedupeKey('a')).toMatchObject({ status: 'running' });
    expect(await t.store.jobs.byDedupeKey('b')).toMatchObject({ status: 'running' });
    // Space comes back; the runner is still going and picks both up when their leases end.
    full = false;
    await t.store.jobs.enqueue({ lane: 'timely', kind: 'ok', runAt: T0 + 1000, dedupeKey: 'c', maxAttempts: 3 }, T0);
    r.wake();
    await settle(clock, 1000);
    expect(await t.store.jobs.byDedupeKey('c')).toMatchObject({ status: 'done' });
    await settle(clock, 60_000);
    expect(await t.store.jobs.byDedupeKey('a')).toMatchObject({ status: 'done', attempts: 2 });
    expect(await t.store.jobs.byDedupeKey('b')).toMatchObject({ status: 'pending', attempts: 2, last_error: 'handler failed' });
    expect(calls).toEqual([{ key: 'a', attempt: 1 }, { key: 'b', attempt: 1 }, { key: 'c', attempt: 1 }, { key: 'a', attempt: 2 }, { key: 'b', attempt: 2 }]);
    await r.stop();
  });
});
