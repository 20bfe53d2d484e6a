import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { tempConfig } from '../helpers/run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/rolplay.js', import.meta.url));

describe('output into a pipe that closes early', () => {
  it('`rolplay meetings list --json | head -c 100` ends quietly instead of crashing with EPIPE', async () => {
    const { dir, path } = tempConfig();
    const store = await openStore({ dataDir: join(dir, 'data') });
    const now = Date.now();
    const rows = Array.from({ length: 3000 }, (_, n) => ({
      event_id: `evt-${n}`, source: 'graph' as const, title: `Meeting ${n}`, start_at: now + n * 60_000, end_at: now + n * 60_000 + 1_800_000,
      organizer_email: 'someone@example.com', user_id: null, status: 'scheduled' as const, created_at: now, updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500) await store.db.insertInto('meetings').values(rows.slice(i, i + 500)).execute();
    await store.close();

    const child = spawn(process.execPath, [BIN, 'meetings', 'list', '--json', '--config', path], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: '/nonexistent-home' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    // Like `head -c 100`: read the first chunk, then close the pipe.
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(first.startsWith('[{"id":1,')).toBe(true);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
