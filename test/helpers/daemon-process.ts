import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/rolplay.js', import.meta.url));

export interface DaemonProcess {
  child: ChildProcess;
  /** Every log line so far (stderr, JSON when not a TTY). */
  lines: string[];
  /** Resolves with the first log line (parsed) matching `test`, or rejects after timeoutMs. */
  waitFor(test: RegExp | ((entry: Record<string, unknown>) => boolean), timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Runs `node bin/rolplay.js ARGS` (the built CLI: `npm run build` first, as `npm test` does)
 * and collects its JSON logs.
 */
export function spawnRolplay(args: string[], env: NodeJS.ProcessEnv = {}): DaemonProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: '/nonexistent-home', ROLPLAY_LOG_LEVEL: 'debug', ...env },
  });
  const lines: string[] = [];
  const waiters: Array<{ match: (line: string) => Record<string, unknown> | undefined; resolve: (v: Record<string, unknown>) => void }> = [];
  let buffer = '';
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        const hit = w.match(line);
        if (hit) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(hit);
        }
      }
    }
  };
  child.stderr!.on('data', onData);
  child.stdout!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const parse = (line: string): Record<string, unknown> => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { msg: line };
    }
  };
  return {
    child,
    lines,
    exited,
    kill: (signal = 'SIGTERM') => { child.kill(signal); },
    waitFor(test, timeoutMs = 15_000) {
      const match = (line: string) => {
        const entry = parse(line);
        return (typeof test === 'function' ? test(entry) : test.test(line)) ? entry : undefined;
      };
      for (const line of lines) {
        const hit = match(line);
        if (hit) return Promise.resolve(hit);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line matching ${String(test)} within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`)), timeoutMs);
        waiters.push({ match, resolve: (v) => { clearTimeout(timer); resolve(v); } });
      });
    },
  };
}
