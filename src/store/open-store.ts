import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { StoreError, errorMessage } from '../support/errors.js';
import { redactUrl } from '../config/redact.js';
import type { Database } from './database.js';
import type { Dialect } from './migrations.js';
import { migrateToLatest } from './migrate-to-latest.js';
import { createRepositories, type Repositories } from './repositories.js';
import { withStatementCache } from './statement-cache.js';
import { toStoreError, withStoreErrors } from './store-errors.js';

/** How long a SQLite write waits for another process's lock before failing as "locked". */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

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
  // pg loads only for PostgreSQL: the SQLite CLI path starts quicker without it.
  const { db, dialect, location } = options.databaseUrl ? openPostgres(options.databaseUrl, (await import('pg')).default) : openSqlite(options);
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
  let path = options.sqlitePath;
  if (!path) {
    if (!options.dataDir) throw new StoreError('no data directory configured: set dataDir in config.json or ROLPLAY_DATA_DIR');
    try {
      mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new StoreError(`cannot create the data directory ${options.dataDir} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}): set dataDir in config.json or ROLPLAY_DATA_DIR to a writable folder`, { cause: error });
    }
    path = join(options.dataDir, 'rolplay.db');
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  let database: BetterSqlite3.Database;
  try {
    if (path !== ':memory:') {
      // Create the file owner-only before SQLite does, so phone numbers and plans are never world-readable.
      closeSync(openSync(path, 'a', 0o600));
      chmodSync(path, 0o600);
    }
    database = new BetterSqlite3(path, { timeout: busyTimeoutMs, nativeBinding: sqliteAddonPath() });
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${busyTimeoutMs}`);
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
  } catch (error) {
    const known = toStoreError(error, { dialect: 'sqlite', location: path, busyTimeoutMs });
    if (known instanceof StoreError && known.reason !== 'corrupt') throw known;
    throw new StoreError(`cannot open the SQLite database ${path} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}): check that dataDir is writable and the file is not corrupt`, { cause: error });
  }
  const dialect = withStoreErrors(new SqliteDialect({ database: withStatementCache(database) }), { dialect: 'sqlite', location: path, busyTimeoutMs });
  return { db: new Kysely<Database>({ dialect }), dialect: 'sqlite', location: path };
}

/**
 * better-sqlite3's compiled addon where its install (prebuilt or built from source) puts it.
 * Given by path, the addon loads without the `bindings` package's search (it throws an Error to
 * find its caller's folder, then tries a dozen candidate paths): about 10 ms of every CLI
 * command that opens the store. Elsewhere (undefined), better-sqlite3 searches as before.
 */
function sqliteAddonPath(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined;
  }
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
