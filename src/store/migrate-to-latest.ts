import { Migrator, sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { InCodeMigrations, migrations, type Dialect } from './migrations.js';

/** pg_advisory_lock key for "rolplay migrates this database" ('rolplay' in ASCII). */
const PG_MIGRATION_LOCK = '32199661768171897';

/**
 * Opens in progress in this process, by database location: a second open of the same file waits
 * for the first instead of blocking the event loop in SQLite's busy handler while the first
 * (which needs the event loop to finish) holds the write lock.
 */
const inProcess = new Map<string, Promise<unknown>>();

/**
 * Applies every pending migration, safe when several processes open a fresh database at once
 * (ten `rolplay user add` in parallel, several daemons starting together). Kysely's Migrator
 * takes no lock on SQLite (its adapter's acquireMigrationLock is a no-op, assuming one
 * connection), so two processes both read "nothing applied" and both create `users`. Here the
 * check and the migrations run inside BEGIN IMMEDIATE: the second process waits (busy timeout)
 * and then finds them applied. On PostgreSQL, Kysely locks around its state read and the
 * migrations, but creates its own bookkeeping tables before that; a session advisory lock
 * around the whole run makes those serial too. A database already at the latest version is
 * only read: no lock, so read-only files and busy daemons do not stall a CLI command.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect, location = ''): Promise<string[]> {
  if ((await pending(db, dialect)) === 0) return [];
  const key = `${dialect}:${location}`;
  const previous = inProcess.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => db.connection().execute((conn) => (dialect === 'sqlite' ? sqliteLocked(conn, dialect) : postgresLocked(conn, dialect))));
  inProcess.set(key, run);
  try {
    return await run;
  } finally {
    if (inProcess.get(key) === run) inProcess.delete(key);
  }
}

async function sqliteLocked(conn: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  await sql`begin immediate`.execute(conn);
  try {
    const applied = await runMigrator(conn, dialect);
    await sql`commit`.execute(conn);
    return applied;
  } catch (error) {
    await sql`rollback`.execute(conn).catch(() => undefined);
    throw error;
  }
}

async function postgresLocked(conn: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  await sql`select pg_advisory_lock(${sql.lit(PG_MIGRATION_LOCK)})`.execute(conn);
  try {
    return await runMigrator(conn, dialect);
  } finally {
    await sql`select pg_advisory_unlock(${sql.lit(PG_MIGRATION_LOCK)})`.execute(conn);
  }
}

async function runMigrator(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations(dialect), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Migrations not yet recorded in Kysely's table (all of them when it does not exist yet). */
async function pending(db: Kysely<Database>, dialect: Dialect): Promise<number> {
  const names = Object.keys(migrations(dialect));
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const done = new Set(rows.map((r) => r.name));
    return names.filter((n) => !done.has(n)).length;
  } catch {
    return names.length;
  }
}
