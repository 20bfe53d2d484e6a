import { createRequire } from 'node:module';
import type pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { StoreError, errorMessage } from '../support/errors.js';
import { redactUrl } from '../config/redact.js';
import type { Database } from './database.js';
import type { Dialect } from './migrations.js';
import { migrateToLatest } from './migrate-to-latest.js';
import { createRepositories, type Repositories } from './repositories.js';
import { withStatementCache } from './statement-cache.js';
import { withStoreErrors } from './store-errors.js';
import { SQLITE_BUSY_TIMEOUT_MS, openSqliteFile } from './open-sqlite-file.js';

export { SQLITE_BUSY_TIMEOUT_MS };

export interface StoreOptions {
  /** postgres:// URL; empty = SQLite file in dataDir. */
  databaseUrl?: string;
  dataDir?: string;
  /** Explicit SQLite file path (tests), or ":memory:". */
  sqlitePath?: string;
  /** Run migrations on open (default true). */
  migrate?: boolean;
  /** SQLite only: wait this long for another process's write lock (default SQLITE_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

export interface Store extends Repositories {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, safe to print (no password). */
  location: string;
  /**
   * Runs `fn` with a Store whose repositories all write in one transaction: committed when `fn`
   * resolves, rolled back when it throws. Inside a transaction already, `fn` joins it.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  // pg (CommonJS) loads only for PostgreSQL: the SQLite CLI path starts quicker without it.
  const { db, dialect, location } = options.databaseUrl ? openPostgres(options.databaseUrl, createRequire(import.meta.url)('pg') as typeof pg) : openSqlite(options);
  const store = bindStore(db, dialect, location, () => db.destroy());
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db, dialect, location);
    } catch (error) {
      await db.destroy().catch(() => undefined);
      if (error instanceof StoreError) throw error;
      throw new StoreError(`cannot open the database at ${location}: ${errorMessage(error)}${dialect === 'postgres' ? ' (check database.url / DATABASE_URL and that the server is running)' : ''}`, { cause: error });
    }
  }
  return store;
}

function bindStore(db: Kysely<Database>, dialect: Dialect, location: string, close: () => Promise<void>): Store {
  const store: Store = {
    db,
    dialect,
    location,
    ...createRepositories(db, dialect),
    transaction: (fn) => (db.isTransaction ? fn(store) : db.transaction().execute((tx) => fn(bindStore(tx, dialect, location, close)))),
    close,
  };
  return store;
}

export { migrateToLatest };

function openSqlite(options: StoreOptions): { db: Kysely<Database>; dialect: Dialect; location: string } {
  const { database, path, busyTimeoutMs } = openSqliteFile(options);
  const dialect = withStoreErrors(new SqliteDialect({ database: withStatementCache(database) }), { dialect: 'sqlite', location: path, busyTimeoutMs });
  return { db: new Kysely<Database>({ dialect }), dialect: 'sqlite', location: path };
}

function openPostgres(url: string, pgModule: typeof pg): { db: Kysely<Database>; dialect: Dialect; location: string } {
  const bigintAsNumber = (value: string) => Number.parseInt(value, 10);
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? bigintAsNumber : pgModule.types.getTypeParser(oid, format as 'text'),
  };
  // 16: the job lanes run up to ~70 jobs at once, and a webhook's insert must not queue behind
  // them for a connection (three daemons use 48 of PostgreSQL's default 100).
  const pool = new pgModule.Pool({ connectionString: url, max: 16, types: types as pg.CustomTypesConfig, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead of crashing the process
  // A connection the server drops (restart, failover: 57P01) fails its query, then emits
  // 'error' once the socket closes; while checked out it has no listener, which would crash
  // the daemon. The query's failure is what reports it.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const location = redactUrl(url);
  return { db: new Kysely<Database>({ dialect: withStoreErrors(new PostgresDialect({ pool }), { dialect: 'postgres', location }) }), dialect: 'postgres', location };
}
