import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { FakeClock } from '../../../src/support/clock.js';
import { createJobQueue } from '../../../src/lifecycle/jobs/job-queue.js';
import { createBatchedEnqueue } from '../../../src/lifecycle/whatsapp/batched-enqueue.js';
import { seeded } from '../../../src/sandbox/http-sim.js';
import { jobRequest } from '../../../src/lifecycle/jobs/job-kind.js';
import { HANDLE_INBOUND } from '../../../src/lifecycle/jobs/job-kinds.js';
import { JobPayloadError } from '../../../src/lifecycle/jobs/job-payload.js';

const inbound = (dedupeKey: string, from = '+34612345678', body = 'hi') =>
  jobRequest(HANDLE_INBOUND, { messageSid: dedupeKey, from: `whatsapp:${from}`, body, numMedia: 0 }, { dedupeKey, queueKey: `conversation:${from}` });
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
    const results = await Promise.all(keys.map((dedupeKey) => enqueue(inbound(dedupeKey))));
    expect(results.map((r) => r.created)).toEqual([true, true, false, true]);
    expect(results[2]!.job.id).toBe(results[0]!.job.id);
    expect(wakes).toBe(1);
    expect(await t.store.jobs.list({ kind: 'handle_inbound' })).toHaveLength(3);
    const again = await enqueue(inbound('inbound:b'));
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
    // Ten senders: their conversations' queue keys are locked in the same order in every batch.
    const results = await Promise.all(keys.map((dedupeKey, i) => enqueue(inbound(dedupeKey, `+3461234560${i % 10}`))));
    expect(results.filter((r) => r.created)).toHaveLength(40);
    expect(await t.store.jobs.list({ kind: 'handle_inbound' })).toHaveLength(40);
  });

  it('keeps one sender\'s messages in arrival order within a batch: the first is pending, the rest wait behind it', async () => {
    t = await freshStore(backend);
    const clock = new FakeClock();
    const queue = createJobQueue(t.store, clock, 8, () => undefined);
    const enqueue = createBatchedEnqueue({ store: t.store, clock, queue, config: configSchema.parse({}) });
    // Dedupe keys deliberately in the opposite order to arrival.
    const arrivals = ['inbound:z', 'inbound:y', 'inbound:x'];
    const results = await Promise.all(arrivals.map((key) => enqueue(inbound(key))));
    expect(results.map((r) => r.job.id)).toEqual([...results.map((r) => r.job.id)].sort((a, b) => a - b));
    expect(results.map((r) => r.job.status)).toEqual(['pending', 'waiting', 'waiting']);
  });

  it('refuses a request whose payload does not match its kind, alone, before anything is written', async () => {
    t = await freshStore(backend);
    const clock = new FakeClock();
    const queue = createJobQueue(t.store, clock, 8, () => undefined);
    const enqueue = createBatchedEnqueue({ store: t.store, clock, queue, config: configSchema.parse({}) });
    const bad = jobRequest(HANDLE_INBOUND, { messageSid: 'x', from: '', body: 'hi', numMedia: -1 }, { dedupeKey: 'inbound:bad' });
    const [good, refused] = await Promise.allSettled([enqueue(inbound('inbound:good')), enqueue(bad)]);
    expect(good.status).toBe('fulfilled');
    expect(refused.status === 'rejected' && refused.reason).toBeInstanceOf(JobPayloadError);
    expect((refused as PromiseRejectedResult).reason.message).toMatch(/^invalid handle_inbound job payload: from: .*; numMedia: /);
    expect((await t.store.jobs.list({ kind: 'handle_inbound' })).map((j) => j.dedupe_key)).toEqual(['inbound:good']);
  });
});
