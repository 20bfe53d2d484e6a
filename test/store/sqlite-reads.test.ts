import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATION_NAMES } from '../../src/store/migration-names.js';
import { migrations } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open-store.js';
import { openSqliteReads } from '../../src/store/sqlite-reads.js';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-reads-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('direct SQLite reads (the CLI without Kysely)', () => {
  it('names every migration of migrations.ts, in order, for both backends', () => {
    expect(MIGRATION_NAMES).toEqual(Object.keys(migrations('sqlite')));
    expect(MIGRATION_NAMES).toEqual(Object.keys(migrations('postgres')));
  });

  it('lists users exactly as the store repository does', async () => {
    const dir = dataDir();
    const store = await openStore({ dataDir: dir });
    for (const [email, phone] of [['zoe@x.com', '+14155552671'], ['adam@x.com', '+14155552672'], ['Mia@x.com', '+14155552673']] as const) {
      await store.users.upsert({ email, name: email.split('@')[0]!, phone, timezone: 'Europe/Madrid' }, 1_700_000_000_000);
    }
    const expected = await store.users.list();
    await store.close();
    const reads = openSqliteReads({ dataDir: dir });
    expect(reads).toBeDefined();
    try {
      expect(await reads!.users.list()).toEqual(expected);
    } finally {
      await reads!.close();
    }
  });

  it('declines a store that is not at the latest migration, so the full store migrates it', async () => {
    expect(openSqliteReads({ dataDir: dataDir() })).toBeUndefined();
    const dir = dataDir();
    const store = await openStore({ dataDir: dir });
    await store.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', MIGRATION_NAMES.at(-1) as never).execute();
    await store.close();
    expect(openSqliteReads({ dataDir: dir })).toBeUndefined();
  });
});
