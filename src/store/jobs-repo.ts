import { sql, type Kysely, type Updateable } from 'kysely';
import type { Database, JobRow, JobStatus, JobsTable } from './database.js';
import type { Dialect } from './migrations.js';
import { headOf, inTransaction, keyIsBusy, keysWithWaitingJobs, lockQueueKey, overtake, promoteNext } from './job-queue-keys.js';
import { claimDueJobs, nextWakeInLanes, type ClaimOptions, type LeaseOptions } from './job-claims.js';
import { cancelMeetingJobs, rescheduleMeetingJobs, reviveMeetingJobs } from './meeting-jobs.js';

export interface EnqueueInput {
  kind: string;
  payload?: unknown;
  runAt: number;
  dedupeKey: string;
  meetingId?: number | null;
  maxAttempts: number;
  /** Which concurrency pool claims it. */
  lane: string;
  /** 0 = urgent, 1 = normal (default). */
  priority?: 0 | 1;
  /** Jobs of one key run one at a time, in enqueue order (e.g. 'conversation:+34612345678'). */
  queueKey?: string | null;
}

export type { ClaimOptions, LeaseOptions };

export interface LaneAssignment {
  kind: string;
  lane: string;
  priority?: 0 | 1;
}

/*
 * Plans seen (test/store/jobs-claim-plans.test.ts: 20,000 due jobs in lanes a and b, 2,000 of
 * them running with a lease that ran out; claim limit 10). Every claim reads `limit` entries from
 * the head of one partial index: no sort, no temp B-tree, no scan of other rows or lanes.
 * SQLite 3.53, EXPLAIN QUERY PLAN (no ANALYZE statistics; INDEXED BY keeps it so with them):
 *   urgent, normal:  SEARCH jobs USING INTEGER PRIMARY KEY (rowid=?)
 *                    LIST SUBQUERY 1
 *                    SEARCH jobs USING COVERING INDEX jobs_claim (lane=? AND priority=? AND run_at<?)
 *   leases:          ... SEARCH jobs USING COVERING INDEX jobs_lease (lane=? AND lease_until<?)
 *   nextWakeAt:      SCAN CONSTANT ROW; per lane 3 x SCALAR SUBQUERY:
 *                    SEARCH jobs USING COVERING INDEX jobs_claim (lane=? AND priority=?)  (twice)
 *                    SEARCH jobs USING COVERING INDEX jobs_lease (lane=? AND lease_until>?)
 *   key reads:       SEARCH jobs USING INDEX jobs_queue (queue_key=?)
 * PostgreSQL 15, EXPLAIN ANALYZE after ANALYZE:
 *   urgent, normal:  Update on jobs (actual rows=10)
 *                      -> Nested Loop -> HashAggregate -> Subquery Scan on "ANY_subquery"
 *                         -> Limit (actual rows=10) -> LockRows
 *                            -> Index Scan using jobs_claim on jobs jobs_1 (actual rows=10)
 *                                 Index Cond: ((lane = 'a') AND (priority = 0) AND (run_at <= ...))
 *                                 Filter: (status = 'pending')  [kept for the FOR UPDATE recheck]
 *                         -> Index Scan using jobs_pkey on jobs (actual rows=1 loops=10)
 *   leases:          the same over Index Scan using jobs_lease (lane = 'a' AND lease_until <= ...)
 *   nextWakeAt:      Result; per lane 3 x InitPlan -> Limit -> Index Only Scan using jobs_claim
 *                    (lane, priority) or jobs_lease (lane, lease_until IS NOT NULL), actual rows=1
 *   key reads:       Index Scan using jobs_queue (queue_key = ...), over that key's open jobs only
 * When statistics say only a few rows are due, PostgreSQL may prefer a bitmap scan of jobs_claim
 * plus a sort of those rows (seen with 2 due): cheap while the estimate holds; a stale one costs
 * more until autovacuum analyzes the table again.
 */

/**
 * The durable job queue. Every side effect is a row; the dedupe key makes enqueueing
 * idempotent; claiming is one atomic UPDATE per claim class (SKIP LOCKED on PostgreSQL, the single
 * writer lock on SQLite); a lease that runs out (the process died) makes the job claimable again.
 * Writes after a claim are fenced on the lease owner, so a worker that lost its lease cannot
 * overwrite the work of the one that took it over. Keyed jobs keep their key's order (see
 * job-queue-keys.ts).
 */
export class JobsRepo {
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect) {}

  /**
   * Adds the job unless one with this dedupe key exists; returns the row either way. A keyed job
   * takes its key's lock first, so ids of one key follow lock order (arrival order, across
   * daemons), and waits when the key already has a job queued or running.
   */
  async enqueue(input: EnqueueInput, now: number): Promise<{ job: JobRow; created: boolean }> {
    const key = input.queueKey ?? null;
    if (key === null) return this.insert(this.db, input, 'pending', now);
    return inTransaction(this.db, async (tx) => {
      await lockQueueKey(tx, key);
      // Read after the lock: on PostgreSQL (READ COMMITTED) each statement sees what committed
      // before it, including the previous holder's jobs.
      const head = await headOf(tx, key);
      const result = await this.insert(tx, input, head || (await keyIsBusy(tx, key)) ? 'waiting' : 'pending', now);
      if (result.created && head && (await overtake(tx, head, result.job.id, input.runAt, now))) result.job = { ...result.job, status: 'pending' };
      return result;
    });
  }

  private async insert(db: Kysely<Database>, input: EnqueueInput, status: JobStatus, now: number): Promise<{ job: JobRow; created: boolean }> {
    const inserted = await db.insertInto('jobs')
      .values({
        kind: input.kind,
        payload: JSON.stringify(input.payload ?? {}),
        run_at: input.runAt,
        status,
        attempts: 0,
        max_attempts: input.maxAttempts,
        dedupe_key: input.dedupeKey,
        meeting_id: input.meetingId ?? null,
        lane: input.lane,
        priority: input.priority ?? 1,
        queue_key: input.queueKey ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { job: inserted, created: true };
    const existing = await db.selectFrom('jobs').selectAll().where('dedupe_key', '=', input.dedupeKey).executeTakeFirst();
    if (!existing) throw new Error(`job ${input.dedupeKey} vanished while enqueueing`);
    return { job: existing, created: false };
  }

  /**
   * Claims up to `limit` jobs of the lane: due urgent ones, then due normal ones (each by run_at,
   * id), then running ones whose lease ran out (job-claims.ts; plans above).
   */
  claimDue(options: ClaimOptions): Promise<JobRow[]> {
    return claimDueJobs(this.db, this.dialect, options);
  }

  /** Claims one specific job if it is pending (used to deliver right away from the CLI). */
  claimById(id: number, options: LeaseOptions): Promise<JobRow | undefined> {
    return this.db.updateTable('jobs')
      .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), lease_owner: options.owner, lease_until: options.now + options.leaseMs, updated_at: options.now }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
  }

  /** Extends a lease the worker still holds; false if it was lost. */
  async renewLease(id: number, owner: string, until: number, now: number): Promise<boolean> {
    const r = await this.db.updateTable('jobs').set({ lease_until: until, updated_at: now })
      .where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'running').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  complete(id: number, owner: string, result: unknown, now: number): Promise<boolean> {
    return this.settle(id, owner, { status: 'done', result: result === undefined ? null : JSON.stringify(result), lease_owner: null, lease_until: null, updated_at: now }, now);
  }

  /** The job stays pending, so it stays its key's head: the jobs queued behind it keep waiting. */
  retryAt(id: number, owner: string, runAt: number, error: string, now: number): Promise<boolean> {
    return this.release(this.db, id, owner, { status: 'pending', run_at: runAt, last_error: error, lease_owner: null, lease_until: null, updated_at: now });
  }

  /** Like retryAt, but the attempt is given back: the job waited for something, it did not fail. */
  deferTo(id: number, owner: string, runAt: number, note: string, now: number): Promise<boolean> {
    return this.db.updateTable('jobs')
      .set((eb) => ({ status: 'pending', run_at: runAt, last_error: note, lease_owner: null, lease_until: null, updated_at: now, attempts: eb('attempts', '-', 1) }))
      .where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'running').executeTakeFirst()
      .then((r) => Number(r.numUpdatedRows) > 0);
  }

  fail(id: number, owner: string, error: string, now: number): Promise<boolean> {
    return this.settle(id, owner, { status: 'failed', last_error: error, lease_owner: null, lease_until: null, updated_at: now }, now);
  }

  /** Records progress (e.g. which message parts went out) without giving up the lease. */
  async saveResult(id: number, owner: string, result: unknown, now: number): Promise<boolean> {
    const r = await this.db.updateTable('jobs').set({ result: JSON.stringify(result), updated_at: now })
      .where('id', '=', id).where('lease_owner', '=', owner).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Ends a running job. An unkeyed one (most) costs one UPDATE; a keyed one locks its key, ends
   * and promotes the next job of the key in one transaction, so the key never has two heads or none.
   */
  private async settle(id: number, owner: string, patch: Updateable<JobsTable>, now: number): Promise<boolean> {
    const r = await this.db.updateTable('jobs').set(patch)
      .where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'running').where('queue_key', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) return true;
    const key = (await this.db.selectFrom('jobs').select('queue_key').where('id', '=', id).executeTakeFirst())?.queue_key ?? null;
    if (key === null) return false;
    return inTransaction(this.db, async (tx) => {
      await lockQueueKey(tx, key);
      if (!(await this.release(tx, id, owner, patch))) return false;
      await promoteNext(tx, key, now);
      return true;
    });
  }

  private async release(db: Kysely<Database>, id: number, owner: string, patch: Updateable<JobsTable>): Promise<boolean> {
    const r = await db.updateTable('jobs').set(patch)
      .where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'running').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Cancels a meeting's jobs that have not run yet (optionally only some kinds). */
  cancelForMeeting(meetingId: number, now: number, kinds?: string[]): Promise<number> {
    return cancelMeetingJobs(this.db, meetingId, now, kinds);
  }

  /** Moves a meeting's jobs of one kind that have not run to a new time. */
  rescheduleForMeeting(meetingId: number, kind: string, runAt: number, now: number): Promise<number> {
    return rescheduleMeetingJobs(this.db, meetingId, kind, runAt, now);
  }

  /** Puts a cancelled job back in the queue (a meeting that was un-cancelled). */
  reviveForMeeting(meetingId: number, kind: string, runAt: number, now: number): Promise<number> {
    return reviveMeetingJobs(this.db, meetingId, kind, runAt, now);
  }

  /**
   * Sets lane (and priority when given) of the jobs of each kind that have not finished, for
   * jobs queued before an upgrade moved their kind. Running ones too: if their process died in
   * the upgrade, their lease must run out in a lane that is claimed. One pass over the table.
   */
  async assignLanes(lanes: LaneAssignment[], now: number): Promise<number> {
    if (lanes.length === 0) return 0;
    const laneOf = sql<string>`case kind ${sql.join(lanes.map((l) => sql`when ${l.kind} then ${l.lane}`), sql` `)} else lane end`;
    const priorityOf = sql<number>`case kind ${sql.join(lanes.map((l) => sql`when ${l.kind} then ${l.priority ?? sql.ref('priority')}`), sql` `)} else priority end`;
    const r = await this.db.updateTable('jobs').set({ lane: laneOf, priority: priorityOf, updated_at: now })
      .where('kind', 'in', lanes.map((l) => l.kind)).where('status', 'in', ['waiting', 'pending', 'running'])
      .where((eb) => eb.or([eb('lane', '<>', laneOf), eb('priority', '<>', priorityOf)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * Promotes the oldest waiting job of every key that has no pending or running job: a safety
   * net for a key stranded by a hand edit or a bug. Each key in its own short transaction.
   */
  async repairQueues(now: number): Promise<number> {
    let promoted = 0;
    for (const key of await keysWithWaitingJobs(this.db)) {
      promoted += await inTransaction(this.db, async (tx) => {
        await lockQueueKey(tx, key);
        return promoteNext(tx, key, now);
      });
    }
    return promoted;
  }

  /**
   * The earliest moment something in these lanes becomes claimable: a pending run_at or a lease
   * expiry, from the first entry of each lane's indexes (job-claims.ts). Without lanes: across all.
   */
  nextWakeAt(lanes?: string[]): Promise<number | undefined> {
    return nextWakeInLanes(this.db, this.dialect, lanes);
  }

  byId(id: number): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byDedupeKey(key: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('dedupe_key', '=', key).executeTakeFirst();
  }

  forMeeting(meetingId: number): Promise<JobRow[]> {
    return this.db.selectFrom('jobs').selectAll().where('meeting_id', '=', meetingId).orderBy('run_at').orderBy('id').execute();
  }

  list(filter: { status?: JobStatus[]; kind?: string; limit?: number } = {}): Promise<JobRow[]> {
    let q = this.db.selectFrom('jobs').selectAll();
    if (filter.status && filter.status.length > 0) q = q.where('status', 'in', filter.status);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    return q.orderBy('run_at').orderBy('id').limit(filter.limit ?? 1000).execute();
  }

  /** One grouped read of the whole table (GET /metrics asks at most every few seconds). */
  async countByKindAndStatus(): Promise<Array<{ kind: string; status: string; n: number }>> {
    const rows = await this.db.selectFrom('jobs').select(['kind', 'status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['kind', 'status']).execute();
    return rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n) }));
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
