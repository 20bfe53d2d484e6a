import type BetterSqlite3 from 'better-sqlite3';
import type { UserRow } from './database.js';
import type { MeetingFilter, MeetingListData } from './meetings-repo.js';
import { MIGRATION_NAMES } from './migration-names.js';
import { openSqliteFile, type SqliteFileOptions } from './open-sqlite-file.js';
import { sqliteListJson, sqliteListSummaries } from './sqlite-meeting-list.js';
import { sqliteListTable, type TableLayout } from './sqlite-meeting-table.js';
import { toStoreError } from './to-store-error.js';

/** The reads a CLI command makes, each as the Store's repository of the same name answers it. */
export interface SqliteReads {
  users: { list(): Promise<UserRow[]> };
  meetings: {
    listSummaries(filter?: MeetingFilter): Promise<MeetingListData>;
    /** `meetings list --json` in pieces to write as they come, made by SQLite (see sqlite-meeting-list.ts). */
    listJson(filter?: MeetingFilter): Iterable<string>;
    /**
     * The plain `meetings list` table in pieces, made by SQLite (see sqlite-meeting-table.ts);
     * undefined when its text needs the CLI's own measuring, none for an empty list.
     */
    listTable(filter: MeetingFilter, layout: TableLayout): Promise<Iterable<string> | undefined>;
  };
  close(): Promise<void>;
}

/**
 * Read-only commands on the embedded store (`rolplay user list`, `meetings list`) through better-sqlite3's
 * prepared statements, without Kysely: loading and compiling the query builder and the
 * repositories cost more than such a command's query. Only for a store already at the latest
 * migration: otherwise (a new or older file) this returns undefined and the caller opens the
 * full store, which migrates under its lock (migrate-to-latest.ts).
 */
export function openSqliteReads(options: SqliteFileOptions): SqliteReads | undefined {
  const { database, path, busyTimeoutMs } = openSqliteFile(options);
  const where = { dialect: 'sqlite' as const, location: path, busyTimeoutMs };
  const read = <T>(query: () => T): Promise<T> => {
    try {
      return Promise.resolve(query());
    } catch (error) {
      return Promise.reject(toStoreError(error, where));
    }
  };
  if (!isCurrent(database)) {
    database.close();
    return undefined;
  }
  // A command reads each page of the file about once: a page cache of 512 KiB instead of 2 MiB
  // spares it memory it would touch only once (about 600 fresh pages on 10,000 meetings).
  database.pragma('cache_size = -512');
  function* readAll<T>(pieces: () => Iterable<T>): Generator<T> {
    try {
      yield* pieces();
    } catch (error) {
      throw toStoreError(error, where);
    }
  }
  return {
    // The Kysely repository's `selectFrom('users').selectAll().orderBy('email')`.
    users: { list: () => read(() => database.prepare('select * from "users" order by "email"').all() as UserRow[]) },
    meetings: {
      listSummaries: (filter = {}) => read(() => sqliteListSummaries(database, filter)),
      listJson: (filter = {}) => readAll(() => sqliteListJson(database, filter)),
      listTable: (filter, layout) => read(() => {
        const pieces = sqliteListTable(database, filter, layout);
        return pieces && readAll(() => pieces);
      }),
    },
    close: async () => void database.close(),
  };
}

/** Every migration recorded in Kysely's table (none is, when the table does not exist yet). */
function isCurrent(database: BetterSqlite3.Database): boolean {
  try {
    const done = new Set(database.prepare('select name from kysely_migration').pluck().all() as string[]);
    return MIGRATION_NAMES.every((name) => done.has(name));
  } catch {
    return false;
  }
}
