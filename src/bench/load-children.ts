import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * The child processes of one load bench run (simulators, bare server, generators, daemons).
 * Every one is registered here so the run can end them all, in its `finally` and on Ctrl-C:
 * a bench that dies half-way must not leave a daemon or a simulator listening.
 */
export interface Children {
  /** Spawns `node script args...`; stdout is a pipe of JSON lines, stderr is kept (last 4 KB). */
  node(script: string, args?: string[], env?: NodeJS.ProcessEnv): JsonChild;
  /** SIGTERM to each child still running, SIGKILL after `graceMs`; resolves when all exited. */
  stopAll(graceMs?: number): Promise<void>;
}

export interface JsonChild {
  child: ChildProcess;
  /** The next JSON line on stdout that `match` accepts (every line when omitted). */
  nextLine(timeoutMs: number, match?: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Writes one JSON line to stdin. */
  send(message: unknown): void;
  /** What it wrote on stderr lately (for error messages). */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | string>;
}

export function createChildren(): Children {
  const all = new Set<JsonChild>();
  return {
    node(script, args = [], env = {}) {
      const child = spawn(process.execPath, [script, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        // A clean environment: a DATABASE_URL or TWILIO_* of the caller must not reach a daemon.
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      });
      const handle = jsonChild(child);
      all.add(handle);
      void handle.exited.then(() => all.delete(handle));
      return handle;
    },
    async stopAll(graceMs = 5000) {
      await Promise.all([...all].map((c) => c.stop(graceMs)));
    },
  };
}

function jsonChild(child: ChildProcess): JsonChild {
  const waiters: Array<{ match: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }> = [];
  const unread: Array<Record<string, unknown>> = [];
  let stderr = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return; // not ours (a stray print); the bench speaks JSON lines only
    }
    const i = waiters.findIndex((w) => w.match(line));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(line);
    // A daemon's own log lines land here too: keep only the latest.
    else if (unread.push(line) > 1000) unread.shift();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  // A child that exits early closes its stdin: writing then must not crash the bench.
  child.stdin!.on('error', () => undefined);
  return {
    child,
    exited,
    nextLine(timeoutMs, match = () => true) {
      const i = unread.findIndex(match);
      if (i >= 0) return Promise.resolve(unread.splice(i, 1)[0]!);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve: (line: Record<string, unknown>) => { clearTimeout(timer); resolve(line); } };
        const fail = (why: string) => {
          const at = waiters.indexOf(waiter);
          if (at >= 0) waiters.splice(at, 1);
          reject(new Error(`${why}; its stderr ends with:\n${stderr.slice(-1500)}`));
        };
        const timer = setTimeout(() => fail(`no answer from child ${child.pid} within ${timeoutMs} ms`), timeoutMs);
        waiters.push(waiter);
        void exited.then((code) => {
          clearTimeout(timer);
          if (waiters.includes(waiter)) fail(`child ${child.pid} exited (${code}) before answering`);
        });
      });
    },
    send(message) {
      child.stdin!.write(`${JSON.stringify(message)}\n`);
    },
    stderrTail: () => stderr,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // A daemon paused for a bare round (SIGSTOP) only acts on SIGTERM once it runs again.
      child.kill('SIGCONT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Runs `fn` with a fresh set of children, and ends them all afterwards. On SIGINT/SIGTERM the
 * children are stopped at once; whatever `fn` was waiting for then fails, its `finally` blocks
 * remove the stores (a PostgreSQL database would otherwise stay behind), and the process exits
 * 130. A second Ctrl-C, or 20 s without an end, exits at once.
 */
export async function withChildren<T>(fn: (children: Children) => Promise<T>): Promise<T> {
  const children = createChildren();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\ninterrupted: stopping the load bench processes and removing its stores...\n');
    void children.stopAll(2000);
    setTimeout(() => process.exit(130), 20_000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: T | undefined;
  try {
    result = await fn(children);
  } catch (error) {
    if (!interrupted) throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await children.stopAll();
  }
  if (interrupted) process.exit(130);
  return result as T;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
