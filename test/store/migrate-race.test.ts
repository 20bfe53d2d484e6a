import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import { spawnRolplay } from '../helpers/daemon-process.js';

/** First use of a fresh database by many at once: before the lock, some failed with `table "users" already exists`. */
describe('migrations under concurrent first use', () => {
  it('ten openStore at once in one process on a fresh SQLite file all open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-race-'));
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => openStore({ dataDir: dir })));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    for (const r of results) if (r.status === 'fulfilled') await r.value.close();
    expect(failed).toEqual([]);
  });

  it('ten `rolplay user add` processes at once on a fresh data dir all exit 0 and every user is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-race-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'data') }));
    const runs = Array.from({ length: 10 }, (_, i) =>
      spawnRolplay(['--config', config, 'user', 'add', '--name', `U${i}`, '--email', `u${i}@x.com`, '--phone', `+1415555267${i}`, '--no-welcome'], { ROLPLAY_LOG_LEVEL: 'silent' }));
    const codes = await Promise.all(runs.map((r) => r.exited));
    const errors = runs.flatMap((r) => r.lines.filter((l) => l.startsWith('rolplay:')));
    expect(errors).toEqual([]);
    expect(codes).toEqual(Array(10).fill(0));
    const store = await openStore({ dataDir: join(dir, 'data') });
    const emails = (await store.users.list()).map((u) => u.email).sort();
    await store.close();
    expect(emails).toEqual(Array.from({ length: 10 }, (_, i) => `u${i}@x.com`).sort());
    // Ten Node processes at once on a shared 2-core machine: seconds each, so a generous limit.
  }, 120_000);

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))('eight openStore at once on a fresh PostgreSQL database all open', async () => {
    const base = process.env.TEST_DATABASE_URL!;
    const name = `rolplay_race_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    try {
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => openStore({ databaseUrl: url.toString() })));
      const opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      const users = opened[0] ? await (opened[0] as Store).users.list() : undefined;
      for (const store of opened) await store.close();
      expect(failed).toEqual([]);
      expect(users).toEqual([]);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 30_000);
});
