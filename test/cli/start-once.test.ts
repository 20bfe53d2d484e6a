import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfig } from '../helpers/run-cli.js';
import { openStore } from '../../src/store/open-store.js';

/** `rolplay start --once` is for cron: its exit code must say whether the pass worked. */
describe('rolplay start --once', () => {
  it('exits 0 when the pass had nothing fail', async () => {
    const { path } = tempConfig();
    const run = await runCli(['--config', path, 'start', '--once']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('exits 1 with a line saying so when the calendar poll failed', async () => {
    // Nothing listens on port 9 of loopback: the token request is refused at once.
    const { path } = tempConfig({
      microsoft: { tenantId: 'contoso', clientId: 'app', clientSecret: 's3cret-value', authorityHost: 'http://127.0.0.1:9', graphBaseUrl: 'http://127.0.0.1:9', timeoutSeconds: 2 },
    });
    const run = await runCli(['--config', path, 'start', '--once']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^rolplay: start --once: the calendar poll failed: .+\n$/);
    expect(run.stderr).not.toContain('s3cret-value');
  }, 20_000);

  it('exits 1 naming the job when a due job failed', async () => {
    const { dir, path } = tempConfig();
    const store = await openStore({ dataDir: join(dir, 'data') });
    const now = Date.now();
    await store.db.insertInto('jobs').values({
      kind: 'from_a_newer_version', payload: '{}', run_at: now - 1000, status: 'pending', attempts: 0, max_attempts: 3,
      dedupe_key: 'x', created_at: now, updated_at: now,
    }).execute();
    await store.close();
    const run = await runCli(['--config', path, 'start', '--once']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('rolplay: start --once: job #1 (from_a_newer_version) failed for good: invalid from_a_newer_version job payload: no job kind "from_a_newer_version" is known to this version of rolplay\n');
  });
});
