import { afterEach, describe, expect, it } from 'vitest';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';
import { JobsRepo } from '../../src/store/jobs-repo.js';
import type { Database } from '../../src/store/database.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const DUE = 20_000;
const LIMIT = 10;

/**
 * Constant-cost claims, checked through the plans rather than a clock: with 20,000 due jobs (and
 * 2,000 running ones whose lease ran out) every claim read and every next-wake read is answered
 * by a partial index in order (no sort, no scan of other rows), and on PostgreSQL the index
 * scan reads no more than `limit` rows. The plans seen are quoted in src/store/jobs-repo.ts.
 */
describe.each(backends)('claim plans on %s', (backend) => {
  let t: TestStore;
  let db: Kysely<Database>;
  let captured: CompiledQuery[];
  afterEach(async () => {
    await db?.destroy();
    await t?.dispose();
  });

  async function seeded(): Promise<JobsRepo> {
    t = await freshStore(backend);
    captured = [];
    const log = (e: LogEvent) => void (e.level === 'query' && captured.push(e.query));
    db = backend === 'sqlite'
      ? new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(t.sqlitePath!) }), log })
      : new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: t.databaseUrl, max: 2 }) }), log });
    // Lanes a and b, a third urgent; every tenth one running with a lease that ran out.
    const rows = backend === 'sqlite'
      ? sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${DUE}) select i from n`
      : sql`select i from generate_series(1, ${DUE}::int) i`;
    await sql`insert into jobs (kind, payload, run_at, status, attempts, max_attempts, dedupe_key, lane, priority, lease_owner, lease_until, created_at, updated_at)
      select 'k', '{}', cast(${T0} as bigint) - i, case when i % 10 = 0 then 'running' else 'pending' end, 0, 3, 'seed:' || i,
        case when i % 2 = 0 then 'a' else 'b' end, case when i % 3 = 0 then 0 else 1 end,
        case when i % 10 = 0 then 'dead' end, case when i % 10 = 0 then cast(${T0} as bigint) - i end, cast(${T0} as bigint), cast(${T0} as bigint)
      from (${rows}) seq`.execute(db);
    if (backend === 'postgres') await sql`analyze jobs`.execute(db);
    return new JobsRepo(db, backend);
  }

  /** The plan of a captured statement, run against lane 'a' (rolled back: EXPLAIN ANALYZE executes). */
  async function planOf(query: CompiledQuery): Promise<string[]> {
    const parameters = query.parameters.map((p) => (p === 'empty' ? 'a' : p));
    if (backend === 'sqlite') {
      const r = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, parameters));
      return r.rows.map((row) => row.detail);
    }
    let lines: string[] = [];
    await db.transaction().execute(async (tx) => {
      const r = await tx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, costs off, timing off, summary off) ${query.sql}`, parameters));
      lines = r.rows.map((row) => row['QUERY PLAN']);
      throw new Error('rollback');
    }).catch((error: unknown) => {
      if ((error as Error).message !== 'rollback') throw error;
    });
    return lines;
  }

  function expectIndexOnly(plan: string[], index: string, maxRows: number): void {
    const text = plan.join('\n');
    expect(text).toContain(index);
    expect(text).not.toMatch(/TEMP B-TREE|\bSCAN jobs\b|Seq Scan|Sort|Bitmap/);
    if (backend === 'postgres') {
      for (const line of plan.filter((l) => l.includes(`using ${index}`))) {
        expect(Number(/actual rows=(\d+)/.exec(line)?.[1] ?? 0)).toBeLessThanOrEqual(maxRows); // 0 when never executed
      }
    }
  }

  it('claims each class through its partial index, reading `limit` rows', async () => {
    const jobs = await seeded();
    captured.length = 0;
    // An empty lane runs all three claim statements (urgent, normal, expired leases); each is
    // then explained against lane a, where 20,000 rows are due.
    await jobs.claimDue({ owner: 'w', now: T0, leaseMs: 1000, lane: 'empty', limit: LIMIT });
    const claims = captured.filter((q) => /^update/i.test(q.sql));
    expect(claims).toHaveLength(3);
    const plans = await Promise.all(claims.map(planOf));
    expectIndexOnly(plans[0]!, 'jobs_claim', LIMIT);
    expectIndexOnly(plans[1]!, 'jobs_claim', LIMIT);
    expectIndexOnly(plans[2]!, 'jobs_lease', LIMIT);
    console.info(`${backend} claim plans:\n${plans.map((p) => p.join('\n')).join('\n---\n')}`);
    // And the claim itself, against the backlog.
    const claimed = await jobs.claimDue({ owner: 'w', now: T0, leaseMs: 1000, lane: 'a', limit: LIMIT });
    // The earliest urgent pending ones of lane a: i even, a multiple of 3, not of 10 (running).
    const urgentA = Array.from({ length: DUE }, (_, k) => DUE - k).filter((i) => i % 6 === 0 && i % 10 !== 0);
    expect(claimed.map((j) => Number(j.run_at))).toEqual(urgentA.slice(0, LIMIT).map((i) => T0 - i));
  });

  it('finds the next wake-up with one ordered read per class and lane', async () => {
    const jobs = await seeded();
    captured.length = 0;
    expect(await jobs.nextWakeAt(['empty', 'b'])).toBe(T0 - DUE + 1);
    const plan = await planOf(captured[0]!);
    expectIndexOnly(plan, 'jobs_claim', 1);
    expect(plan.join('\n')).toContain('jobs_lease');
    console.info(`${backend} next-wake plan:\n${plan.join('\n')}`);
  });

  it('reads a key\'s queue through jobs_queue', async () => {
    const jobs = await seeded();
    await jobs.enqueue({ kind: 'k', lane: 'c', runAt: T0, dedupeKey: 'q1', maxAttempts: 3, queueKey: 'conversation:1' }, T0);
    await jobs.enqueue({ kind: 'k', lane: 'c', runAt: T0, dedupeKey: 'q2', maxAttempts: 3, queueKey: 'conversation:1' }, T0);
    const [head] = await jobs.claimDue({ owner: 'w', now: T0, leaseMs: 1000, lane: 'c', limit: 1 });
    captured.length = 0;
    await jobs.complete(head!.id, 'w', null, T0);
    const reads = captured.filter((q) => /"queue_key" = (\?|\$\d)/.test(q.sql));
    expect(reads.length).toBe(2); // is the key still busy; promote its oldest waiting job
    for (const read of reads) {
      const plan = await planOf(read);
      expectIndexOnly(plan, 'jobs_queue', 2);
      console.info(`${backend} queue read plan:\n${read.sql}\n${plan.join('\n')}`);
    }
  });
});
