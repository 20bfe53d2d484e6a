import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError, isRetryable } from '../../src/support/errors.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { toStoreError } from '../../src/store/store-errors.js';
import { backends, freshStore } from '../helpers/stores.js';
import pg from 'pg';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function tempStore(busyTimeoutMs?: number): Promise<{ store: Store; dataDir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-errors-'));
  const dataDir = join(dir, 'data');
  const store = await openStore({ dataDir, busyTimeoutMs });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close());
  return { store, dataDir, file: join(dataDir, 'rolplay.db') };
}

const driverError = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('store errors', () => {
  it('maps SQLite and PostgreSQL failure codes to a StoreError that says what to do, and leaves other errors alone', () => {
    const sqlite = { dialect: 'sqlite' as const, location: '/srv/rolplay/data/rolplay.db', busyTimeoutMs: 5000 };
    const pg = { dialect: 'postgres' as const, location: 'postgres://rolplay:***@db.internal/rolplay' };
    const cases: Array<[string, typeof sqlite | typeof pg, string, RegExp]> = [
      ['SQLITE_BUSY', sqlite, 'locked', /the database \/srv\/rolplay\/data\/rolplay\.db is locked by another process \(still locked after 5 s/],
      ['SQLITE_BUSY_SNAPSHOT', sqlite, 'locked', /locked by another process/],
      ['SQLITE_LOCKED', sqlite, 'locked', /locked by another process/],
      ['SQLITE_FULL', sqlite, 'full', /^the disk is full: SQLite cannot write to the data directory \/srv\/rolplay\/data /],
      ['SQLITE_IOERR_WRITE', sqlite, 'io', /cannot read or write the database \/srv\/rolplay\/data\/rolplay\.db \(SQLITE_IOERR_WRITE\)/],
      ['SQLITE_READONLY_DBMOVED', sqlite, 'readonly', /is read-only .* writable by the user running rolplay/],
      ['SQLITE_CANTOPEN', sqlite, 'cantopen', /check that the data directory \/srv\/rolplay\/data exists and is writable/],
      ['SQLITE_CORRUPT', sqlite, 'corrupt', /is damaged .* restore it from a backup/],
      ['53100', pg, 'full', /PostgreSQL server at postgres:\/\/rolplay:\*\*\*@db\.internal\/rolplay is out of disk space \(53100 disk_full\)/],
      ['57P01', pg, 'unreachable', /cannot reach PostgreSQL .* \(57P01\): check database\.url \/ DATABASE_URL/],
      ['08006', pg, 'unreachable', /\(08006\)/],
      ['ECONNREFUSED', pg, 'unreachable', /\(ECONNREFUSED\)/],
      ['25006', pg, 'readonly', /read-only/],
      ['40P01', pg, 'locked', /conflicting lock/],
    ];
    for (const [code, where, reason, message] of cases) {
      const mapped = toStoreError(driverError(code), where);
      expect(mapped, code).toBeInstanceOf(StoreError);
      expect((mapped as StoreError).reason, code).toBe(reason);
      expect((mapped as StoreError).message, code).toMatch(message);
      expect((mapped as StoreError).code, code).toBe(`STORE_${reason.toUpperCase()}`);
      expect((mapped as StoreError).cause, code).toBeInstanceOf(Error);
      expect(isRetryable(mapped), code).toBe(reason !== 'corrupt');
    }
    expect(toStoreError(new Error('Connection terminated unexpectedly'), pg)).toMatchObject({ reason: 'unreachable' });
    for (const [code, where] of [['SQLITE_CONSTRAINT_UNIQUE', sqlite], ['23505', pg], ['SQLITE_ERROR', sqlite]] as const) {
      const raw = driverError(code);
      expect(toStoreError(raw, where)).toBe(raw);
    }
    // SQLite codes mean nothing from PostgreSQL, and the other way round.
    const busy = driverError('SQLITE_BUSY');
    expect(toStoreError(busy, pg)).toBe(busy);
  });

  it('reports a full disk inside a transaction as such (SQLite rolled back already), and keeps committed rows', async () => {
    const { store, dataDir } = await tempStore();
    await store.users.upsert({ email: 'kept@example.com', name: 'Kept', phone: '+14155550100', timezone: 'UTC' }, Date.now());
    await sql`PRAGMA max_page_count = 1`.execute(store.db);
    const big = 'x'.repeat(50_000);
    const failure = await store.db.transaction().execute(async (tx) => {
      await tx.insertInto('sync_state').values({ key: 'a', value: 'small', updated_at: 1 }).execute();
      await tx.insertInto('sync_state').values({ key: 'b', value: big, updated_at: 1 }).execute();
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({ reason: 'full', retryable: true });
    expect((failure as Error).message).toContain(`the data directory ${dataDir}`);
    expect(await store.syncState.get('a')).toBeUndefined();
    expect(await store.users.byEmail('kept@example.com')).toMatchObject({ name: 'Kept' });
    await sql`PRAGMA max_page_count = 1000000`.execute(store.db);
    await store.syncState.set('b', big, 2);
    expect((await store.syncState.get('b'))?.length).toBe(50_000);
  });

  it('reports a write lock held by another process past the busy timeout, and works once it is released', async () => {
    const { store, file } = await tempStore(200);
    const other = new BetterSqlite3(file);
    cleanup.push(() => other.close());
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const failure = await store.users.upsert({ email: 'a@example.com', name: 'A', phone: '+14155550101', timezone: 'UTC' }, Date.now()).catch((error: unknown) => error);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).message).toMatch(new RegExp(`^the database ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is locked by another process \\(still locked after 200 ms, SQLITE_BUSY\\)`));
    expect(isRetryable(failure)).toBe(true);
    // Reads still work under the lock (WAL).
    expect(await store.users.list()).toEqual([]);
    other.exec('ROLLBACK');
    await store.users.upsert({ email: 'a@example.com', name: 'A', phone: '+14155550101', timezone: 'UTC' }, Date.now());
    expect(await store.users.list()).toHaveLength(1);
  });

  it('waits out a short write lock of another process instead of failing (transactions begin IMMEDIATE)', async () => {
    const { store, file } = await tempStore(3000);
    // Another process takes the write lock, says so, holds it 400 ms, then lets go.
    const script = `const D = require(process.argv[1]); const db = new D(process.argv[2]); db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n'); setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, 400);`;
    const other = spawn(process.execPath, ['-e', script, createRequire(import.meta.url).resolve('better-sqlite3'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanup.push(() => other.kill());
    await new Promise<void>((resolve) => other.stdout.once('data', () => resolve()));
    const started = Date.now();
    // upsert reads, then writes, in one transaction: deferred, it got SQLITE_BUSY at once.
    const { created } = await store.users.upsert({ email: 'b@example.com', name: 'B', phone: '+14155550102', timezone: 'UTC' }, Date.now());
    expect(created).toBe(true);
    expect(Date.now() - started).toBeGreaterThan(100);
  });
});

describe.runIf(backends.includes('postgres'))('store errors on PostgreSQL', () => {
  it('reports a connection the server dropped (57P01) as unreachable and retryable, then carries on with a new one', async () => {
    const t = await freshStore('postgres');
    cleanup.push(() => t.dispose());
    const admin = new pg.Client({ connectionString: t.databaseUrl });
    await admin.connect();
    cleanup.push(() => admin.end());
    const name = new URL(t.databaseUrl).pathname.slice(1);
    const slow = sql`SELECT pg_sleep(10)`.execute(t.store.db).catch((error: unknown) => error);
    for (let i = 0; i < 100; i++) {
      const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()", [name]);
      if (rowCount) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const failure = await slow;
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({ reason: 'unreachable', retryable: true });
    expect((failure as Error).message).toMatch(/^cannot reach PostgreSQL at postgres:.*\(57P01\): check database\.url \/ DATABASE_URL/);
    expect((failure as Error).message).not.toContain(new URL(t.databaseUrl).password || 'no-password-in-url');
    // The pool replaces the dropped connection (a query racing its close may fail once more, as retryable).
    let tries = 0;
    for (;;) {
      tries++;
      const users = await t.store.users.list().catch((error: unknown) => {
        expect(error).toMatchObject({ reason: 'unreachable', retryable: true });
        return undefined;
      });
      if (users) break;
      expect(tries).toBeLessThan(3);
    }
  });
});
