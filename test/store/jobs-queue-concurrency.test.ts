import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshStore, type TestStore } from '../helpers/stores.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import type { JobRow } from '../../src/store/database.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
// Many short conversations: a key is often idle when both daemons enqueue to it at once, the
// moment where two jobs could both become pending without the key lock.
const KEYS = Array.from({ length: 24 }, (_, i) => `conversation:+346000000${String(i).padStart(2, '0')}`);
const PER_KEY_AND_DAEMON = 3;

/**
 * Two daemons on one PostgreSQL database (two pools), each receiving messages for the same
 * conversations at the same time and each running a worker: a key never has two jobs pending or
 * running, no job runs while another of its key runs, and each key's jobs finish in id order,
 * which keeps every daemon's own arrival order.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('per-key order across daemons on postgres', () => {
  let t: TestStore;
  let other: Store | undefined;
  afterEach(async () => {
    await other?.close();
    await t?.dispose();
  });

  it('runs one job per key at a time, in id order, while both daemons enqueue and complete', async () => {
    t = await freshStore('postgres');
    other = await openStore({ databaseUrl: t.databaseUrl, migrate: false });
    const daemons = { a: t.store, b: other };
    const total = KEYS.length * PER_KEY_AND_DAEMON * 2;
    const running = new Set<string>();
    const finished = new Map<string, JobRow[]>(KEYS.map((k) => [k, []]));
    const violations: string[] = [];
    let enqueued = 0;

    // Each daemon receives each conversation's messages one after another (as Twilio posts them),
    // all conversations and both daemons at once.
    // A few turns of the event loop between messages spread the enqueues over the run, so that
    // they meet completions of the same key (where a new job could be left without a head).
    const receive = Object.entries(daemons).flatMap(([name, store]) => KEYS.map(async (key, k) => {
      for (let seq = 0; seq < PER_KEY_AND_DAEMON; seq++) {
        await store.jobs.enqueue({ kind: 'inbound', lane: 'chat', runAt: T0, dedupeKey: `${name}:${key}:${seq}`, maxAttempts: 3, queueKey: key, payload: { daemon: name, seq } }, T0);
        enqueued++;
        for (let turn = 0; turn < (k * 7 + seq * 13) % 40; turn++) await new Promise((resolve) => setImmediate(resolve));
      }
    }));
    const received = Promise.all(receive).then(() => {
      receiving = false;
    });
    let receiving = true;

    const work = async (name: string, store: Store) => {
      // Stops once every job finished, or when nothing was claimable for a while after the last
      // message arrived (a job left waiting with no head: the checks below then fail).
      for (let idle = 0; idle < 200 && [...finished.values()].flat().length < total; ) {
        const heads = await sql<{ queue_key: string; n: number }>`select queue_key, count(*) as n from jobs where status in ('pending', 'running') group by queue_key having count(*) > 1`.execute(store.db);
        for (const h of heads.rows) violations.push(`${h.queue_key} has ${h.n} heads`);
        const jobs = await store.jobs.claimDue({ owner: name, now: T0, leaseMs: 60_000, lane: 'chat', limit: 3 });
        if (jobs.length === 0) {
          if (!receiving) idle++;
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        idle = 0;
        await Promise.all(jobs.map(async (job, i) => {
          const key = job.queue_key!;
          if (running.has(key)) violations.push(`${key}: job ${job.id} claimed while another of its key runs`);
          running.add(key);
          await new Promise((resolve) => setImmediate(resolve));
          running.delete(key); // before the outcome commits: the next job of the key may be claimed from then on
          finished.get(key)!.push(job);
          // A few fail: the next job of the key must be promoted all the same.
          const ok = (job.id + i) % 5 === 0 ? await store.jobs.fail(job.id, name, 'bad', T0) : await store.jobs.complete(job.id, name, null, T0);
          if (!ok) violations.push(`job ${job.id} lost its lease`);
        }));
      }
    };

    await Promise.all([received, work('a', daemons.a), work('b', daemons.b)]);
    expect(enqueued).toBe(total);
    expect(violations).toEqual([]);
    for (const key of KEYS) {
      const ids = finished.get(key)!.map((j) => j.id);
      expect(ids).toHaveLength(PER_KEY_AND_DAEMON * 2);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      for (const daemon of ['a', 'b']) {
        const seqs = finished.get(key)!.map((j) => JSON.parse(j.payload) as { daemon: string; seq: number }).filter((p) => p.daemon === daemon).map((p) => p.seq);
        expect(seqs).toEqual(Array.from({ length: PER_KEY_AND_DAEMON }, (_, i) => i));
      }
    }
    expect(await t.store.jobs.countByStatus()).toEqual(expect.not.objectContaining({ waiting: expect.anything(), pending: expect.anything() }));
  }, 60_000);

  /** Both daemons' stores, and job m1 of KEYS[0] running (owner w). */
  async function twoDaemonsWithARunningHead(): Promise<JobRow> {
    t = await freshStore('postgres');
    other = await openStore({ databaseUrl: t.databaseUrl, migrate: false });
    const { job: head } = await t.store.jobs.enqueue(keyed('m1'), T0);
    await t.store.jobs.claimDue({ owner: 'w', now: T0, leaseMs: 60_000, lane: 'chat', limit: 1 });
    return head;
  }
  const keyed = (dedupeKey: string) => ({ kind: 'inbound', lane: 'chat', runAt: T0, dedupeKey, maxAttempts: 3, queueKey: KEYS[0]! });

  it('makes a completion wait for an enqueue of its key in flight, then promotes the job it added', async () => {
    const head = await twoDaemonsWithARunningHead();
    let completion: Promise<boolean> | undefined;
    await t.store.transaction(async (tx) => {
      expect((await tx.jobs.enqueue(keyed('m2'), T0)).job.status).toBe('waiting'); // not committed yet
      completion = other!.jobs.complete(head.id, 'w', null, T0);
      // Without the key lock the completion would end now, promoting nothing it can see.
      expect(await waitsOnALock(t, () => completion!)).toBe(true);
    });
    expect(await completion).toBe(true);
    expect((await t.store.jobs.byDedupeKey('m2'))!.status).toBe('pending');
  });

  it('makes an enqueue wait for a completion of its key in flight, then finds the key free', async () => {
    const head = await twoDaemonsWithARunningHead();
    let enqueueing: Promise<unknown> | undefined;
    await t.store.transaction(async (tx) => {
      expect(await tx.jobs.complete(head.id, 'w', null, T0)).toBe(true); // not committed yet
      enqueueing = other!.jobs.enqueue(keyed('m2'), T0);
      expect(await waitsOnALock(t, () => enqueueing!)).toBe(true);
    });
    await enqueueing;
    expect((await t.store.jobs.byDedupeKey('m2'))!.status).toBe('pending');
  });
});

/**
 * Whether the operation started on another pool is blocked on a lock (polls pg_stat_activity; no
 * sleeping), or false once it finished without waiting.
 */
async function waitsOnALock(t: TestStore, operation: () => Promise<unknown>): Promise<boolean> {
  let done = false;
  void operation().finally(() => {
    done = true;
  });
  const admin = await openStore({ databaseUrl: t.databaseUrl, migrate: false });
  try {
    for (let i = 0; i < 10_000 && !done; i++) {
      const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(admin.db);
      if (r.rows[0]!.n > 0) return true;
    }
    return false;
  } finally {
    await admin.close();
  }
}
