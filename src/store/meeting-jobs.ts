import { sql, type Expression, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database, JobStatus } from './database.js';
import { inTransaction, lockQueueKeys, promoteNext } from './job-queue-keys.js';

/**
 * A meeting's jobs moved as a group (the calendar cancelled, moved or restored the meeting).
 * Some of them may be keyed, and a keyed job's key must be locked before the job changes state
 * (see job-queue-keys.ts), so cancelling and reviving go through writeUnderKeyLocks.
 */

/** Cancels a meeting's jobs that have not run (waiting ones included); keys that lost their head promote the next job. */
export function cancelMeetingJobs(db: Kysely<Database>, meetingId: number, now: number, kinds?: string[]): Promise<number> {
  const unrun = (tx: Kysely<Database>) => {
    let q = tx.selectFrom('jobs').where('meeting_id', '=', meetingId).where('status', 'in', ['pending', 'waiting']);
    if (kinds && kinds.length > 0) q = q.where('kind', 'in', kinds);
    return q;
  };
  return writeUnderKeyLocks(db, now, {
    keysOf: (tx) => distinctKeys(unrun(tx)),
    write: async (tx, keys) => {
      let q = tx.updateTable('jobs').set({ status: 'cancelled', updated_at: now })
        .where('meeting_id', '=', meetingId).where('status', 'in', ['pending', 'waiting']).where(onlyKeys(keys));
      if (kinds && kinds.length > 0) q = q.where('kind', 'in', kinds);
      return Number((await q.executeTakeFirst()).numUpdatedRows);
    },
  });
}

/** Moves a meeting's not-yet-run jobs of one kind to a new time (a waiting job keeps its place in its key). */
export async function rescheduleMeetingJobs(db: Kysely<Database>, meetingId: number, kind: string, runAt: number, now: number): Promise<number> {
  const r = await db.updateTable('jobs').set({ run_at: runAt, updated_at: now })
    .where('meeting_id', '=', meetingId).where('kind', '=', kind).where('status', 'in', ['pending', 'waiting']).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Puts a meeting's cancelled jobs of one kind back in the queue; a keyed one queues behind its key's jobs. */
export function reviveMeetingJobs(db: Kysely<Database>, meetingId: number, kind: string, runAt: number, now: number): Promise<number> {
  const cancelled = (tx: Kysely<Database>) => tx.selectFrom('jobs').where('meeting_id', '=', meetingId).where('kind', '=', kind).where('status', '=', 'cancelled');
  return writeUnderKeyLocks(db, now, {
    keysOf: (tx) => distinctKeys(cancelled(tx)),
    write: async (tx, keys) => {
      const r = await tx.updateTable('jobs')
        .set({ status: sql<JobStatus>`case when queue_key is null then 'pending' else 'waiting' end`, run_at: runAt, attempts: 0, last_error: null, updated_at: now })
        .where('meeting_id', '=', meetingId).where('kind', '=', kind).where('status', '=', 'cancelled').where(onlyKeys(keys))
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  });
}

/**
 * Runs a write over a set of jobs that may belong to any number of keys: first over the unkeyed
 * ones, then, round by round, over the keys found among the rest, each locked before its jobs
 * are touched (on PostgreSQL a keyed job may be enqueued meanwhile: the next round locks its
 * key). Then each locked key promotes its next job if the write left it without a head.
 */
function writeUnderKeyLocks(db: Kysely<Database>, now: number, o: {
  keysOf: (tx: Kysely<Database>) => Promise<string[]>;
  write: (tx: Kysely<Database>, lockedKeys: string[]) => Promise<number>;
}): Promise<number> {
  return inTransaction(db, async (tx) => {
    let total = await o.write(tx, []);
    const locked: string[] = [];
    for (;;) {
      const fresh = (await o.keysOf(tx)).filter((k) => !locked.includes(k));
      if (fresh.length === 0) break;
      await lockQueueKeys(tx, fresh);
      locked.push(...fresh);
      total += await o.write(tx, locked);
    }
    for (const key of locked) await promoteNext(tx, key, now);
    return total;
  });
}

async function distinctKeys(jobs: SelectQueryBuilder<Database, 'jobs', object>): Promise<string[]> {
  const rows = await jobs.select('queue_key').distinct().where('queue_key', 'is not', null).execute();
  return rows.map((r) => r.queue_key).filter((k): k is string => k !== null);
}

/** Unkeyed jobs and jobs of these (locked) keys. */
function onlyKeys(keys: string[]) {
  return (eb: ExpressionBuilder<Database, 'jobs'>): Expression<SqlBool> =>
    (keys.length > 0 ? eb.or([eb('queue_key', 'is', null), eb('queue_key', 'in', keys)]) : eb('queue_key', 'is', null));
}
