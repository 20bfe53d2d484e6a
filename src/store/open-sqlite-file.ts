import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { StoreError, errorMessage } from '../support/errors.js';
import { toStoreError } from './to-store-error.js';

/** How long a SQLite write waits for another process's lock before failing as "locked". */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

export interface SqliteFileOptions {
  dataDir?: string;
  /** Explicit SQLite file path (tests), or ":memory:". */
  sqlitePath?: string;
  busyTimeoutMs?: number;
}

export interface SqliteFile {
  database: BetterSqlite3.Database;
  path: string;
  busyTimeoutMs: number;
}

/**
 * Opens (creating it owner-only when missing) the embedded store's SQLite file with rolplay's
 * settings: WAL, the busy timeout, foreign keys. Shared by the Kysely store and the CLI's direct
 * reads (sqlite-reads.ts); imports no query builder.
 */
export function openSqliteFile(options: SqliteFileOptions): SqliteFile {
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
  try {
    if (path !== ':memory:') {
      // Create the file owner-only before SQLite does, so phone numbers and plans are never world-readable.
      closeSync(openSync(path, 'a', 0o600));
      chmodSync(path, 0o600);
    }
    const database = new BetterSqlite3(path, { timeout: busyTimeoutMs, nativeBinding: sqliteAddonPath() });
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${busyTimeoutMs}`);
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
    return { database, path, busyTimeoutMs };
  } catch (error) {
    const known = toStoreError(error, { dialect: 'sqlite', location: path, busyTimeoutMs });
    if (known instanceof StoreError && known.reason !== 'corrupt') throw known;
    throw new StoreError(`cannot open the SQLite database ${path} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}): check that dataDir is writable and the file is not corrupt`, { cause: error });
  }
}

/**
 * better-sqlite3's compiled addon where its install (prebuilt or built from source) puts it.
 * Given by path, the addon loads without the `bindings` package's search (it throws an Error to
 * find its caller's folder, then tries a dozen candidate paths): about 10 ms of every CLI
 * command that opens the store. The built CLI bundles better-sqlite3's JavaScript and counts on
 * this path; elsewhere (undefined), better-sqlite3 searches as before.
 */
function sqliteAddonPath(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined;
  }
}
