import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { FakeClock } from '../../../src/support/clock.js';
import { createJobQueue } from '../../../src/lifecycle/jobs/job-queue.js';
import { createBatchedEnqueue } from '../../../src/lifecycle/whatsapp/batched-enqueue.js';
import { seeded } from '../../../src/sandbox/http-sim.js';
import { backends, freshStore, type TestStore } from '../../helpers/stores.js';

let t: TestStore;
afterEach(async () => t?.dispose());

describe.each(backends)('batched enqueue (%s)', (backend) => {
  it('writes a burst in one go, tells each caller whether its job was new, and wakes the runner once', async () => {
    t = await freshStore(backend);
    const clock = new FakeClock();
    let wakes = 0;
    const queue = createJobQueue(t.store, clock, 8, () => wakes++);
    const enqueue = createBatchedEnqueue({ store: t.store, clock, queue, config: configSchema.parse({}) });
    const keys = ['inbound:a', 'inbound:b', 'inbound:a', 'inbound:c'];
    const results = await Promise.all(keys.map((dedupeKey) => enqueue({ kind: 'handle_inbound', dedupeKey, payload: { k: dedupeKey }, maxAttempts: 5 })));
    expect(results.map((r) => r.created)).toEqual([true, true, false, true]);
    expect(results[2]!.job.id).toBe(results[0]!.job.id);
    expect(wakes).toBe(1);
    expect(await t.store.jobs.list({ kind: 'handle_inbound' })).toHaveLength(3);
    const again = await enqueue({ kind: 'handle_inbound', dedupeKey: 'inbound:b', maxAttempts: 5 });
    expect(again.created).toBe(false);
    expect(wakes).toBe(1);
  });

  it('concurrent batches holding the same keys in different orders neither deadlock nor fail (a Twilio retry racing the original)', async () => {
    t = await freshStore(backend);
    const clock = new FakeClock();
    const queue = createJobQueue(t.store, clock, 8, () => undefined);
    // Small batches: 240 enqueues become 12 transactions in flight at once.
    const enqueue = createBatchedEnqueue({ store: t.store, clock, queue, config: configSchema.parse({}) }, 20);
    const random = seeded(3);
    const keys = Array.from({ length: 240 }, (_, i) => `inbound:sid-${i % 40}`).sort(() => random() - 0.5);
    const results = await Promise.all(keys.map((dedupeKey) => enqueue({ kind: 'handle_inbound', dedupeKey, maxAttempts: 5 })));
    expect(results.filter((r) => r.created)).toHaveLength(40);
    expect(await t.store.jobs.list({ kind: 'handle_inbound' })).toHaveLength(40);
  });
});
