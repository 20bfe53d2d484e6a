import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output and an explicit environment. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write(chunk, _enc, cb) { append(String(chunk)); cb(); } });
  const io = {
    stdout: Object.assign(sink((s) => { stdout += s; }), { isTTY: false }),
    stderr: Object.assign(sink((s) => { stderr += s; }), { isTTY: false }),
    env: { HOME: '/nonexistent-home', ROLPLAY_LOG_LEVEL: 'silent', ...env },
    cwd: cwd ?? mkdtempSync(join(tmpdir(), 'rolplay-cwd-')),
  };
  const code = await main(['node', 'rolplay', ...args], io);
  return { code, stdout, stderr };
}

/** A temp folder with a config.json that keeps data inside it. */
export function tempConfig(config: Record<string, unknown> = {}): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-cli-'));
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify({ dataDir: join(dir, 'data'), ...config }));
  return { dir, path };
}
