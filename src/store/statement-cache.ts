import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running a small
 * insert. Keeping the most recent prepared statements (by SQL text) roughly halves the cost of
 * the hot paths, such as the webhook's job insert. Safe because better-sqlite3 runs a statement
 * to completion synchronously (rolplay never streams results), so no two uses overlap.
 */
export function withStatementCache(database: BetterSqlite3.Database, max = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = database.prepare(sql) as unknown as SqliteStatement;
      cache.set(sql, statement);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}
