import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

/**
 * Per-key ordering of jobs (a conversation's messages run one at a time, in arrival order, on any
 * number of daemons). Invariant: at most one job of a key is pending or running; the others are
 * 'waiting' and are promoted in (run_at, id) order: a job's run_at is when it may start, which for
 * an inbound message is its arrival plus a short window, so a message that reached one daemon
 * before another daemon's but was stored after it still goes first (see headOf's use in enqueue). Every change to which job of a key is the head happens
 * under the key's lock, taken before anything else in the transaction: enqueue, and the moves to
 * done/failed/cancelled that promote the next one. Claims, retries and lease takeovers only move
 * the head between pending and running, so they need no lock.
 */

/**
 * The jobs_queue index's predicate, written exactly as in the index: SQLite only uses a partial
 * index when the query repeats its terms (PostgreSQL would prove the implication itself).
 */
const ACTIVE = sql<boolean>`status in ('waiting', 'pending', 'running')`;

/** Runs fn in a transaction: the caller's when there is one, else a new one. */
export function inTransaction<T>(db: Kysely<Database>, fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Takes the key's lock until the transaction ends: the upsert row-locks on PostgreSQL (a second
 * transaction upserting the same key waits for this one's commit). SQLite transactions begin
 * IMMEDIATE (store-errors.ts), so there the transaction already is the single writer.
 */
export async function lockQueueKey(db: Kysely<Database>, key: string): Promise<void> {
  await db.insertInto('job_queues').values({ queue_key: key })
    .onConflict((oc) => oc.column('queue_key').doUpdateSet((eb) => ({ queue_key: eb.ref('excluded.queue_key') })))
    .execute();
}

/** Locks several keys in one order (sorted), so two transactions locking the same keys cannot deadlock. */
export async function lockQueueKeys(db: Kysely<Database>, keys: Iterable<string>): Promise<void> {
  for (const key of [...new Set(keys)].sort()) await lockQueueKey(db, key);
}

/** Whether the key has a job waiting, pending or running (a new job must then wait); reads jobs_queue. */
export async function keyIsBusy(db: Kysely<Database>, key: string): Promise<boolean> {
  const row = await db.selectFrom('jobs').select('id').where('queue_key', '=', key).where(ACTIVE).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The key's pending or running job, if any (read under the key's lock). */
export function headOf(db: Kysely<Database>, key: string): Promise<{ id: number; status: string; run_at: number; attempts: number } | undefined> {
  return db.selectFrom('jobs').select(['id', 'status', 'run_at', 'attempts'])
    .where('queue_key', '=', key).where(ACTIVE).where(sql<boolean>`status in ('pending', 'running')`)
    .limit(1).executeTakeFirst();
}

/**
 * A job enqueued behind `head` that is due before it takes its place, if the head has not started
 * (never attempted, still pending): the head waits again. A head that was tried keeps its turn.
 * Returns whether the new job is now the head.
 */
export async function overtake(db: Kysely<Database>, head: { id: number; status: string; run_at: number; attempts: number }, jobId: number, runAt: number, now: number): Promise<boolean> {
  if (head.status !== 'pending' || head.attempts > 0 || Number(head.run_at) <= runAt) return false;
  // Claims take no key lock: the head may have been claimed meanwhile, and then it keeps its turn.
  const demoted = await db.updateTable('jobs').set({ status: 'waiting', updated_at: now })
    .where('id', '=', head.id).where('status', '=', 'pending').where('attempts', '=', 0).executeTakeFirst();
  if (Number(demoted.numUpdatedRows) === 0) return false;
  await db.updateTable('jobs').set({ status: 'pending', updated_at: now }).where('id', '=', jobId).execute();
  return true;
}

/**
 * Makes the earliest waiting job of the key pending, unless a job of the key is pending or running.
 * Call it holding the key's lock. Returns how many it promoted (0 or 1).
 */
export async function promoteNext(db: Kysely<Database>, key: string, now: number): Promise<number> {
  const head = await db.selectFrom('jobs').select('id')
    .where('queue_key', '=', key).where(ACTIVE).where(sql<boolean>`status in ('pending', 'running')`)
    .limit(1).executeTakeFirst();
  if (head) return 0;
  // `status || ''`: not a term an index on status can serve, so SQLite reads jobs_queue (this
  // key's open jobs, already in order) instead of walking every waiting job through jobs_due.
  const next = db.selectFrom('jobs').select('id')
    .where('queue_key', '=', key).where(ACTIVE).where(sql<boolean>`status || '' = 'waiting'`)
    .orderBy('run_at').orderBy('id').limit(1);
  // id = (one id), nothing else: an extra status term let SQLite read every waiting job by jobs_due.
  const r = await db.updateTable('jobs').set({ status: 'pending', updated_at: now }).where('id', '=', next).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Keys with a waiting job (the repair pass's candidates); reads the jobs_queue index. */
export async function keysWithWaitingJobs(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('jobs').select('queue_key').distinct()
    .where('queue_key', 'is not', null).where(ACTIVE).where('status', '=', sql.lit('waiting'))
    .execute();
  return rows.map((r) => r.queue_key).filter((k): k is string => k !== null);
}
