import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempConfig } from '../helpers/run-cli.js';

// The built CLI (npm test builds first): bin/rolplay.js runs dist/bundle/rolplay.cjs from the
// V8 code cache that scripts/warm-cache.cjs wrote at build time.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOADER = join(ROOT, 'bin', 'load-rolplay.cjs');
const BUNDLE = join(ROOT, 'dist', 'bundle', 'rolplay.cjs');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the built CLI and its code cache', () => {
  it('starts from the cache the build wrote: V8 accepts it', () => {
    const run = spawnSync(process.execPath, ['-e', `
      const { loadRolplay } = require(${JSON.stringify(LOADER)});
      const { script } = loadRolplay();
      process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected }));`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ rejected: false });
  });

  it('is an ASCII file, so the launcher may read it as Latin-1', () => {
    expect(readFileSync(BUNDLE).every((byte) => byte < 0x80)).toBe(true);
  });

  it('still runs, compiling from source, when the cache does not fit (another Node.js, a damaged file)', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rolplay-stale-cache-'));
    dirs.push(copy);
    mkdirSync(join(copy, 'bin'));
    mkdirSync(join(copy, 'dist', 'bundle'), { recursive: true });
    for (const file of ['rolplay.js', 'load-rolplay.cjs', 'package.json']) copyFileSync(join(ROOT, 'bin', file), join(copy, 'bin', file));
    copyFileSync(BUNDLE, join(copy, 'dist', 'bundle', 'rolplay.cjs'));
    copyFileSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    writeFileSync(join(copy, 'dist', 'bundle', 'rolplay.cjs.cache'), Buffer.from('not a V8 code cache'));
    const { path } = tempConfig();
    const run = spawnSync(process.execPath, [join(copy, 'bin', 'rolplay.js'), 'user', 'list', '--config', path], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: copy } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/No salespeople registered yet/);
  });

  it('draws the terminal UI on a terminal: ink, an ES module, is imported through the launcher', async () => {
    const { path } = tempConfig();
    // util-linux `script` gives the command a pseudo-terminal; "q" quits the UI.
    const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin', 'rolplay.js'))} meetings list --config ${JSON.stringify(path)}`, '/dev/null'], {
      env: { PATH: process.env.PATH, HOME: tmpdir(), TERM: 'xterm-256color', COLUMNS: '120', LINES: '30' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 15_000;
    while (!output.includes('rolplay meetings') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    child.stdin.write('q');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
    if (code === 'timeout') child.kill('SIGKILL');
    expect(output).toContain('rolplay meetings');
    expect(output).not.toMatch(/unexpected error|dynamic import/i);
    expect(code).toBe(0);
  }, 30_000);
});
