import { createHash } from 'node:crypto';
import pg from 'pg';
import { migrations } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open-store.js';

/**
 * PostgreSQL test databases are cloned from a template that the real migrations built once,
 * instead of each running every migration again (about half a second per store, hundreds of
 * stores per suite). The template's name carries a hash of the migrations' names and code, so
 * a changed or added migration builds a new template; older templates are dropped.
 * Every test database also gets synchronous_commit off: a test never needs its commits to
 * survive a power cut, and each commit no longer waits for the disk (a daemon process started
 * on the same database gets the setting too).
 */
const PREFIX = 'rolplay_tmpl_';
// Any constant: it serialises building and cloning across vitest workers (and parallel runs).
const LOCK = 74_201_309;

let templateName: string | undefined;

export function templateDatabaseName(): string {
  if (templateName) return templateName;
  const source = Object.entries(migrations('postgres')).map(([name, m]) => `${name}\n${m.up.toString()}\n${m.down?.toString() ?? ''}`).join('\n');
  templateName = PREFIX + createHash('sha256').update(source).digest('hex').slice(0, 16);
  return templateName;
}

/** Creates database `name` as a migrated copy of the template (built first when missing). */
export async function createMigratedDatabase(baseUrl: string, name: string): Promise<void> {
  const template = templateDatabaseName();
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [LOCK]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) await buildTemplate(admin, baseUrl, template);
    // Cloning needs no other session on the template: the lock keeps builders and cloners apart.
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [LOCK]).catch(() => undefined);
    await admin.end();
  }
}

async function buildTemplate(admin: pg.Client, baseUrl: string, template: string): Promise<void> {
  const stale = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${PREFIX}%`]);
  for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  const building = `${template}_building`;
  await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${building}`);
  const url = new URL(baseUrl);
  url.pathname = `/${building}`;
  const store = await openStore({ databaseUrl: url.toString() });
  await store.close();
  // Renamed only once complete, so a run killed half-way never leaves a half-migrated template.
  await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
}
