import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, JobRow } from './database.js';
import type { Dialect } from './migrations.js';

/** Who takes the jobs and for how long (the lease). */
export interface LeaseOptions {
  owner: string;
  now: number;
  leaseMs: number;
}

export interface ClaimOptions extends LeaseOptions {
  /** Only this lane's jobs: each lane is its own pool, so a backlog in one never delays another. */
  lane: string;
  limit: number;
  /**
   * Also take back jobs whose lease ran out (default true). Leases run for minutes, so a runner
   * claiming many times a second looks for them about once a second, not at every claim.
   */
  expired?: boolean;
}

/*
 * The claim reads are written in SQL rather than built, for two clauses the builder lacks.
 * SQLite: INDEXED BY pins each read to its partial index; once statistics exist (ANALYZE, PRAGMA
 * optimize) the planner was seen reading jobs_due and filtering lanes when it guessed few jobs
 * were due. PostgreSQL: FOR UPDATE SKIP LOCKED, so daemons claiming at once take different rows.
 * Statuses are literals: a partial index serves only queries that repeat its predicate.
 */
const jobsBy = (dialect: Dialect, index: 'jobs_claim' | 'jobs_lease'): RawBuilder<unknown> =>
  sql.raw(dialect === 'sqlite' ? `jobs indexed by ${index}` : 'jobs');
const skipLocked = (dialect: Dialect): RawBuilder<unknown> => sql.raw(dialect === 'postgres' ? ' for update skip locked' : '');

/**
 * Claims up to `limit` jobs of the lane: first running ones whose lease ran out (their process
 * died mid-job: they are the oldest work, and a steady stream of new due jobs must not starve
 * them), then due urgent ones, then due normal ones (each by run_at, id). Each class is one UPDATE
 * over a select that a partial index answers in order, so a claim reads `limit` rows whatever
 * the backlog (one select ORing the classes read and sorted every due row at every claim).
 */
export async function claimDueJobs(db: Kysely<Database>, dialect: Dialect, options: ClaimOptions): Promise<JobRow[]> {
  const { lane, now, limit } = options;
  if (options.expired === false) return claimPending(db, dialect, options, []);
  const expired = sql`select id from ${jobsBy(dialect, 'jobs_lease')} where status = 'running' and lane = ${lane} and lease_until <= ${now} order by lease_until limit ${limit}${skipLocked(dialect)}`;
  // RETURNING shows the new lease, so these are put in the order they were due.
  return claimPending(db, dialect, options, inClaimOrder(await take(db, expired, options)));
}

async function claimPending(db: Kysely<Database>, dialect: Dialect, options: ClaimOptions, claimed: JobRow[]): Promise<JobRow[]> {
  const { lane, now, limit } = options;
  for (const priority of [0, 1]) {
    if (claimed.length >= limit) return claimed;
    const due = sql`select id from ${jobsBy(dialect, 'jobs_claim')} where status = 'pending' and lane = ${lane} and priority = ${priority} and run_at <= ${now} order by run_at, id limit ${limit - claimed.length}${skipLocked(dialect)}`;
    claimed.push(...inClaimOrder(await take(db, due, options)));
  }
  return claimed;
}

async function take(db: Kysely<Database>, ids: RawBuilder<unknown>, o: LeaseOptions): Promise<JobRow[]> {
  const r = await sql<JobRow>`update jobs set status = 'running', attempts = attempts + 1, lease_owner = ${o.owner}, lease_until = ${o.now + o.leaseMs}, updated_at = ${o.now} where id in (${ids}) returning *`.execute(db);
  return r.rows;
}

/** Claimed rows in claim order (RETURNING promises none). */
function inClaimOrder(rows: JobRow[]): JobRow[] {
  return rows.sort((a, b) => Number(a.run_at) - Number(b.run_at) || a.id - b.id);
}

/**
 * The earliest moment something in these lanes becomes claimable: a pending run_at or a lease
 * expiry. One statement of ordered LIMIT 1 reads (three per lane: urgent, normal, leases), each
 * the first entry of a partial index, so it costs the same with 100,000 pending reminders (an
 * aggregate over them took ~80 ms per runner tick). Without lanes: across all lanes, by jobs_due.
 */
export async function nextWakeInLanes(db: Kysely<Database>, dialect: Dialect, lanes?: string[]): Promise<number | undefined> {
  if (lanes === undefined) return nextWakeAnyLane(db);
  if (lanes.length === 0) return undefined;
  const firsts = lanes.flatMap((lane) => [
    sql`(select run_at from ${jobsBy(dialect, 'jobs_claim')} where status = 'pending' and lane = ${lane} and priority = 0 order by run_at limit 1)`,
    sql`(select run_at from ${jobsBy(dialect, 'jobs_claim')} where status = 'pending' and lane = ${lane} and priority = 1 order by run_at limit 1)`,
    sql`(select lease_until from ${jobsBy(dialect, 'jobs_lease')} where status = 'running' and lane = ${lane} and lease_until is not null order by lease_until limit 1)`,
  ]);
  const r = await sql<Record<string, unknown>>`select ${sql.join(firsts.map((first, i) => sql`${first} as ${sql.raw(`w${i}`)}`))}`.execute(db);
  return earliest(Object.values(r.rows[0] ?? {}));
}

async function nextWakeAnyLane(db: Kysely<Database>): Promise<number | undefined> {
  const run = db.selectFrom('jobs').select('run_at as at').where('status', '=', 'pending').orderBy('run_at').limit(1);
  const lease = db.selectFrom('jobs').select('lease_until as at').where('status', '=', 'running').where('lease_until', 'is not', null).orderBy('lease_until').limit(1);
  const [nextRun, nextLease] = await Promise.all([run.executeTakeFirst(), lease.executeTakeFirst()]);
  return earliest([nextRun?.at, nextLease?.at]);
}

function earliest(values: unknown[]): number | undefined {
  const times = values.filter((v) => v !== null && v !== undefined).map(Number);
  return times.length > 0 ? Math.min(...times) : undefined;
}
