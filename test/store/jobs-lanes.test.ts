import { afterEach, describe, expect, it } from 'vitest';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';
import { InCodeMigrations } from '../../src/store/migrations.js';
import { migrateToLatest } from '../../src/store/open-store.js';
import { JobsRepo, type EnqueueInput } from '../../src/store/jobs-repo.js';
import type { Database } from '../../src/store/database.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const job = (dedupeKey: string, over: Partial<EnqueueInput> = {}): EnqueueInput => ({ kind: 'k', lane: 'a', runAt: T0, dedupeKey, maxAttempts: 3, ...over });
const claim = (t: TestStore, lane: string, limit: number, now = T0) => t.store.jobs.claimDue({ owner: 'w', now, leaseMs: 1000, lane, limit });
const keys = (rows: Array<{ dedupe_key: string }>) => rows.map((r) => r.dedupe_key);

describe.each(backends)('job lanes and priorities on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('claims expired leases first (work a dead process left), then urgent jobs, then normal ones, each by run_at then id', async () => {
    t = await freshStore(backend);
    await t.store.jobs.enqueue(job('stale', { runAt: T0 - 10_000 }), T0 - 10_000);
    const [stale] = await claim(t, 'a', 1, T0 - 10_000); // its lease ran out at T0 - 9000
    expect(stale!.dedupe_key).toBe('stale');
    await t.store.jobs.enqueue(job('normal-late', { runAt: T0 - 10 }), T0);
    await t.store.jobs.enqueue(job('normal-early', { runAt: T0 - 20 }), T0);
    await t.store.jobs.enqueue(job('normal-early-2', { runAt: T0 - 20 }), T0);
    await t.store.jobs.enqueue(job('urgent-late', { runAt: T0, priority: 0 }), T0);
    await t.store.jobs.enqueue(job('urgent-early', { runAt: T0 - 5, priority: 0 }), T0);
    await t.store.jobs.enqueue(job('future', { runAt: T0 + 1, priority: 0 }), T0);
    expect(keys(await claim(t, 'a', 3))).toEqual(['stale', 'urgent-early', 'urgent-late']);
    expect(keys(await claim(t, 'a', 10))).toEqual(['normal-early', 'normal-early-2', 'normal-late']);
    expect(await claim(t, 'a', 10)).toEqual([]);
    const [future] = await claim(t, 'a', 10, T0 + 1);
    expect(future!.dedupe_key).toBe('future');
    expect(future!.attempts).toBe(1);
  });

  it('keeps lanes apart: a backlog in one lane is not claimed by, nor delays, another', async () => {
    t = await freshStore(backend);
    for (let i = 0; i < 5; i++) await t.store.jobs.enqueue(job(`chat-${i}`, { lane: 'gemini', runAt: T0 - 100 }), T0);
    await t.store.jobs.enqueue(job('reminder', { lane: 'twilio', priority: 0 }), T0);
    expect(keys(await claim(t, 'twilio', 10))).toEqual(['reminder']);
    expect(await claim(t, 'hubspot', 10)).toEqual([]);
    expect(await claim(t, 'gemini', 10)).toHaveLength(5);
    // Their leases run out: each lane takes back only its own.
    expect(keys(await claim(t, 'twilio', 10, T0 + 1000))).toEqual(['reminder']);
  });

  it('wakes at the earliest run_at or lease expiry of the lanes asked about', async () => {
    t = await freshStore(backend);
    expect(await t.store.jobs.nextWakeAt(['a'])).toBeUndefined();
    expect(await t.store.jobs.nextWakeAt([])).toBeUndefined();
    await t.store.jobs.enqueue(job('a-normal', { runAt: T0 + 500 }), T0);
    await t.store.jobs.enqueue(job('a-urgent', { runAt: T0 + 700, priority: 0 }), T0);
    await t.store.jobs.enqueue(job('b', { lane: 'b', runAt: T0 + 100 }), T0);
    expect(await t.store.jobs.nextWakeAt(['a'])).toBe(T0 + 500);
    expect(await t.store.jobs.nextWakeAt(['a', 'b'])).toBe(T0 + 100);
    expect(await t.store.jobs.nextWakeAt()).toBe(T0 + 100);
    await t.store.jobs.claimDue({ owner: 'w', now: T0 + 600, leaseMs: 50, lane: 'a', limit: 1 });
    expect(await t.store.jobs.nextWakeAt(['a'])).toBe(T0 + 650); // the claimed job's lease
    expect(await t.store.jobs.nextWakeAt(['c'])).toBeUndefined();
  });

  it('moves queued jobs of a kind to its lane and priority, and leaves finished ones alone', async () => {
    t = await freshStore(backend);
    await t.store.jobs.enqueue(job('r1', { kind: 'send_reminder', lane: 'default' }), T0);
    await t.store.jobs.enqueue(job('r2', { kind: 'send_reminder', lane: 'default' }), T0);
    await t.store.jobs.enqueue(job('chat', { kind: 'chat', lane: 'default' }), T0);
    await t.store.jobs.enqueue(job('other', { kind: 'other', lane: 'default' }), T0);
    const [done] = await t.store.jobs.claimDue({ owner: 'w', now: T0, leaseMs: 1000, lane: 'default', limit: 1 });
    await t.store.jobs.complete(done!.id, 'w', null, T0);
    const lanes = [{ kind: 'send_reminder', lane: 'twilio', priority: 0 as const }, { kind: 'chat', lane: 'gemini' }];
    const moved = await t.store.jobs.assignLanes(lanes, T0);
    expect(moved).toBe(2); // r2 and chat; r1 (done) stays
    expect(await t.store.jobs.assignLanes(lanes, T0)).toBe(0);
    const rows = Object.fromEntries((await t.store.jobs.list()).map((r) => [r.dedupe_key, [r.lane, r.priority]]));
    expect(rows).toEqual({ r1: ['default', 1], r2: ['twilio', 0], chat: ['gemini', 1], other: ['default', 1] });
    expect(await t.store.jobs.assignLanes([], T0)).toBe(0);
  });

  it('keeps a pending job written before migration 0009 claimable after it', async () => {
    t = await freshStore(backend);
    // A second database at schema 0008, next to the fresh store's.
    const { db, close } = await openAt0008(t, backend);
    try {
      await db.insertInto('jobs').values({
        kind: 'send_reminder', payload: '{"meetingId":1}', run_at: T0, status: 'pending', attempts: 0, max_attempts: 3,
        dedupe_key: 'old', created_at: T0 - 1000, updated_at: T0 - 1000,
      }).execute();
      expect(await migrateToLatest(db, backend)).toContain('0009_job_lanes');
      const jobs = new JobsRepo(db, backend);
      const [old] = await jobs.list();
      expect([old!.lane, old!.priority, old!.queue_key, old!.status]).toEqual(['default', 1, null, 'pending']);
      expect(await jobs.assignLanes([{ kind: 'send_reminder', lane: 'twilio', priority: 0 }], T0)).toBe(1);
      const [claimed] = await jobs.claimDue({ owner: 'w', now: T0, leaseMs: 1000, lane: 'twilio', limit: 5 });
      expect(claimed!.dedupe_key).toBe('old');
      expect(await jobs.complete(claimed!.id, 'w', { ok: true }, T0)).toBe(true);
    } finally {
      await close();
    }
  });
});

/** A store in a fresh database migrated only up to 0008 (the schema before lanes). */
async function openAt0008(t: TestStore, backend: 'sqlite' | 'postgres'): Promise<{ db: Kysely<Database>; close: () => Promise<void> }> {
  let db: Kysely<Database>;
  let dropDb = async () => undefined as unknown;
  if (backend === 'sqlite') {
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(`${t.sqlitePath!}.0008`) }) });
  } else {
    const name = `${new URL(t.databaseUrl).pathname.slice(1)}_0008`;
    const admin = new pg.Client({ connectionString: t.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(t.databaseUrl);
    url.pathname = `/${name}`;
    const bigint = (v: string) => Number.parseInt(v, 10);
    const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? bigint : pg.types.getTypeParser(oid, format as 'text')) };
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), types: types as pg.CustomTypesConfig }) }) });
    dropDb = async () => {
      const c = new pg.Client({ connectionString: t.databaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const migrator = new Migrator({ db, provider: new InCodeMigrations(backend), allowUnorderedMigrations: true });
  const { error } = await migrator.migrateTo('0008_recurring_series');
  if (error) throw error;
  return { db, close: async () => { await db.destroy(); await dropDb(); } };
}
