import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/open-store.js';
import { createMigratedDatabase } from './postgres-template.js';

/**
 * Fresh stores with the real migrations. SQLite always; PostgreSQL when TEST_DATABASE_URL is
 * set: each store gets its own throw-away database, so tests never see each other's rows.
 * An unreachable PostgreSQL is a failure, not a skip.
 */
export interface TestStore {
  store: Store;
  /** Connection details for a second process on the same data (file path or postgres URL). */
  databaseUrl: string;
  sqlitePath: string | null;
  dispose(): Promise<void>;
}

export const backends: Array<'sqlite' | 'postgres'> = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export async function freshStore(backend: 'sqlite' | 'postgres' = 'sqlite'): Promise<TestStore> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-test-'));
    const sqlitePath = join(dir, 'rolplay.db');
    const store = await openStore({ sqlitePath });
    return {
      store,
      databaseUrl: '',
      sqlitePath,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `rolplay_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await createMigratedDatabase(base, name);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const store = await openStore({ databaseUrl });
  return {
    store,
    databaseUrl,
    sqlitePath: null,
    dispose: async () => {
      await store.close();
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
