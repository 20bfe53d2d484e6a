import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';
import type { EnqueueInput } from '../../src/store/jobs-repo.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const SARA = 'conversation:+34612345678';
const LEO = 'conversation:+14155552671';
const job = (dedupeKey: string, queueKey: string | null = SARA, over: Partial<EnqueueInput> = {}): EnqueueInput =>
  ({ kind: 'inbound', lane: 'chat', runAt: T0, dedupeKey, maxAttempts: 3, queueKey, ...over });

describe.each(backends)('per-key job order on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });
  const enqueue = async (...inputs: EnqueueInput[]) => {
    const out = [];
    for (const input of inputs) out.push((await t.store.jobs.enqueue(input, T0)).job);
    return out;
  };
  const claim = (limit = 10, now = T0) => t.store.jobs.claimDue({ owner: 'w', now, leaseMs: 1000, lane: 'chat', limit });
  const statuses = async () => Object.fromEntries((await t.store.jobs.list()).map((j) => [j.dedupe_key, j.status]));

  it('queues keyed jobs behind the first and promotes the next when it completes', async () => {
    t = await freshStore(backend);
    const [m1, m2, m3] = await enqueue(job('m1'), job('m2'), job('m3'));
    expect([m1!.status, m2!.status, m3!.status]).toEqual(['pending', 'waiting', 'waiting']);
    expect(m1!.id < m2!.id && m2!.id < m3!.id).toBe(true);
    expect((await claim()).map((j) => j.dedupe_key)).toEqual(['m1']);
    expect(await claim()).toEqual([]); // waiting jobs are never claimed
    expect(await t.store.jobs.claimById(m2!.id, { owner: 'cli', now: T0, leaseMs: 1000 })).toBeUndefined();
    expect(await t.store.jobs.complete(m1!.id, 'w', null, T0)).toBe(true);
    expect(await statuses()).toEqual({ m1: 'done', m2: 'pending', m3: 'waiting' });
    expect((await claim()).map((j) => j.dedupe_key)).toEqual(['m2']);
  });

  it('lets a job that arrived earlier but was stored later go first, until the head has started', async () => {
    t = await freshStore(backend);
    // m2 reached one daemon at T0 + 520 (runs from then), m1 another at T0 + 500 but was stored after it.
    const [m2, m1] = await enqueue(job('m2', SARA, { runAt: T0 + 520 }), job('m1', SARA, { runAt: T0 + 500 }));
    expect([m2!.status, m1!.status]).toEqual(['pending', 'pending']);
    expect(await statuses()).toEqual({ m2: 'waiting', m1: 'pending' });
    // Later arrivals queue in arrival order (run_at), not in the order they were stored.
    await enqueue(job('m4', SARA, { runAt: T0 + 700 }), job('m3', SARA, { runAt: T0 + 600 }));
    const order: string[] = [];
    for (let now = T0 + 1000; order.length < 4; now += 10) {
      for (const j of await claim(10, now)) {
        order.push(j.dedupe_key);
        await t.store.jobs.complete(j.id, 'w', null, now);
      }
    }
    expect(order).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('does not let a later-stored job overtake a head that has started (claimed, or tried and retrying)', async () => {
    t = await freshStore(backend);
    const [m2] = await enqueue(job('m2', SARA, { runAt: T0 + 520 }));
    const [claimed] = await claim(10, T0 + 520);
    expect(claimed!.id).toBe(m2!.id);
    expect(await t.store.jobs.retryAt(m2!.id, 'w', T0 + 5000, 'Gemini busy', T0 + 600)).toBe(true);
    await enqueue(job('m1', SARA, { runAt: T0 + 500 }));
    expect(await statuses()).toEqual({ m2: 'pending', m1: 'waiting' });
  });

  it('promotes the next job when one fails, and keeps followers waiting while one retries or defers', async () => {
    t = await freshStore(backend);
    const [m1, m2] = await enqueue(job('m1'), job('m2'), job('m3'));
    await claim();
    expect(await t.store.jobs.retryAt(m1!.id, 'w', T0 + 100, 'busy', T0)).toBe(true);
    expect(await statuses()).toEqual({ m1: 'pending', m2: 'waiting', m3: 'waiting' });
    await claim(10, T0 + 100);
    expect(await t.store.jobs.deferTo(m1!.id, 'w', T0 + 200, 'later', T0 + 100)).toBe(true);
    expect(await statuses()).toEqual({ m1: 'pending', m2: 'waiting', m3: 'waiting' });
    await claim(10, T0 + 200);
    expect(await t.store.jobs.fail(m1!.id, 'someone-else', 'x', T0 + 200)).toBe(false); // fenced: nothing moves
    expect(await statuses()).toEqual({ m1: 'running', m2: 'waiting', m3: 'waiting' });
    expect(await t.store.jobs.fail(m1!.id, 'w', 'bad input', T0 + 200)).toBe(true);
    expect(await statuses()).toEqual({ m1: 'failed', m2: 'pending', m3: 'waiting' });
    const [next] = await claim(10, T0 + 200);
    expect(next!.id).toBe(m2!.id);
  });

  it('promotes the next job when a meeting\'s jobs are cancelled, and queues revived ones behind the key', async () => {
    t = await freshStore(backend);
    const m = await t.store.meetings.insert({ event_id: 'e1', source: 'graph', title: 'Demo', start_at: T0, end_at: T0 + 3600_000, organizer_email: 'a@b.c', user_id: null, status: 'scheduled', created_at: T0, updated_at: T0 });
    await enqueue(job('plan', SARA, { kind: 'plan', meetingId: m.id }), job('reply', SARA), job('note', SARA, { kind: 'plan', meetingId: m.id }), job('plain', null, { kind: 'plan', meetingId: m.id }));
    expect(await statuses()).toEqual({ plan: 'pending', reply: 'waiting', note: 'waiting', plain: 'pending' });
    expect(await t.store.jobs.cancelForMeeting(m.id, T0)).toBe(3);
    expect(await statuses()).toEqual({ plan: 'cancelled', reply: 'pending', note: 'cancelled', plain: 'cancelled' });
    expect(await t.store.jobs.reviveForMeeting(m.id, 'plan', T0 + 5, T0)).toBe(3);
    expect(await statuses()).toEqual({ plan: 'waiting', reply: 'pending', note: 'waiting', plain: 'pending' });
    expect(await t.store.jobs.rescheduleForMeeting(m.id, 'plan', T0 + 9, T0)).toBe(3);
    expect((await t.store.jobs.forMeeting(m.id)).map((j) => j.run_at)).toEqual([T0 + 9, T0 + 9, T0 + 9]);
    // Cancelling only some kinds cancels the head it hits and promotes the oldest waiting job.
    const [reply] = await claim();
    await t.store.jobs.complete(reply!.id, 'w', null, T0);
    expect(await statuses()).toEqual({ plan: 'pending', reply: 'done', note: 'waiting', plain: 'pending' });
    expect(await t.store.jobs.cancelForMeeting(m.id, T0, ['plan'])).toBe(3);
    expect(await statuses()).toEqual({ plan: 'cancelled', reply: 'done', note: 'cancelled', plain: 'cancelled' });
  });

  it('leaves order intact when a keyed job is enqueued again (dedupe), and keys are independent', async () => {
    t = await freshStore(backend);
    const [m1] = await enqueue(job('m1'), job('m2'));
    const again = await t.store.jobs.enqueue(job('m1'), T0);
    expect([again.created, again.job.id, again.job.status]).toEqual([false, m1!.id, 'pending']);
    const againWaiting = await t.store.jobs.enqueue(job('m2'), T0);
    expect([againWaiting.created, againWaiting.job.status]).toEqual([false, 'waiting']);
    await enqueue(job('l1', LEO), job('l2', LEO), job('free', null));
    expect(await statuses()).toEqual({ m1: 'pending', m2: 'waiting', l1: 'pending', l2: 'waiting', free: 'pending' });
    expect((await claim()).map((j) => j.dedupe_key)).toEqual(['m1', 'l1', 'free']);
    expect((await t.store.jobs.list()).filter((j) => j.status !== 'running' && j.status !== 'waiting')).toEqual([]);
  });

  it('repairs a key left without a head, and only such keys', async () => {
    t = await freshStore(backend);
    const [m1] = await enqueue(job('m1'), job('m2'), job('m3'), job('l1', LEO), job('l2', LEO));
    // A hand edit (or a bug) ends the head without promoting anything.
    await t.store.db.updateTable('jobs').set({ status: 'done' }).where('id', '=', m1!.id).execute();
    expect(await t.store.jobs.repairQueues(T0)).toBe(1);
    expect(await statuses()).toEqual({ m1: 'done', m2: 'pending', m3: 'waiting', l1: 'pending', l2: 'waiting' });
    expect(await t.store.jobs.repairQueues(T0)).toBe(0);
  });

  it('enqueues inside an open transaction and promotes inside one, both rolled back together', async () => {
    t = await freshStore(backend);
    const [m1] = await enqueue(job('m1'));
    await expect(t.store.transaction(async (tx) => {
      const m2 = await tx.jobs.enqueue(job('m2'), T0);
      expect(m2.job.status).toBe('waiting');
      await tx.jobs.claimDue({ owner: 'w', now: T0, leaseMs: 1000, lane: 'chat', limit: 1 });
      expect(await tx.jobs.complete(m1!.id, 'w', null, T0)).toBe(true);
      expect((await tx.jobs.byDedupeKey('m2'))!.status).toBe('pending');
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await statuses()).toEqual({ m1: 'pending' });
  });
});
