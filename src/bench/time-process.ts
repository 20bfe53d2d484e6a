import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../store/open-store.js';
import { percentile, type BenchFigure } from './bench-result.js';

const BIN = fileURLToPath(new URL('../../bin/rolplay.js', import.meta.url));

/** Wall time of one process, spawn to exit, in ms; a non-zero exit is an error. */
export function timeProcess(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => { stderr += String(d); });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${argv.slice(1).join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
    });
  });
}

/** One command of a CLI ratio bench: its rolplay arguments, its label, and its goal as a ratio to `node -e 0`. */
export interface TimedCommand {
  args: string[];
  label: string;
  goal?: string;
  /** A process to time instead of `node bin/rolplay.js ARGS` (a floor to compare with), given the bench's data folder. */
  argv?: (dataDir: string) => string[];
}

/**
 * Whole-process times of rolplay commands on a store seeded in a temporary folder, against
 * `node -e 0` measured in the same run, interleaved so drift in machine load touches every
 * command alike: each command's median in ms and its ratio to node's median (with its goal).
 */
export async function timeCommandsOnStore(options: {
  section: string;
  prefix: string;
  runs: number;
  seed: (store: Store) => Promise<void>;
  commands: TimedCommand[];
}): Promise<BenchFigure[]> {
  const { section, runs, commands } = options;
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'data'), log: { level: 'warn' } }));
  try {
    const store = await openStore({ dataDir: join(dir, 'data') });
    try {
      await options.seed(store);
    } finally {
      await store.close();
    }
    const env = { ...process.env, ROLPLAY_LOG_LEVEL: 'warn', ROLPLAY_CONFIG: config };
    const node = [process.execPath, '-e', '0'];
    const argv = (c: TimedCommand) => c.argv?.(join(dir, 'data')) ?? [process.execPath, BIN, ...c.args];
    // Warm the file cache first.
    await timeProcess(node, env);
    await timeProcess(argv(commands[0]!), env);
    const base: number[] = [];
    const times = commands.map((): number[] => []);
    for (let i = 0; i < runs; i++) {
      base.push(await timeProcess(node, env));
      for (const [k, c] of commands.entries()) times[k]!.push(await timeProcess(argv(c), env));
    }
    const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
    const nodeMs = median(base);
    return [
      { section, name: '`node -e 0` (median)', value: nodeMs, unit: 'ms' },
      ...commands.map((c, k) => ({ section, name: `${c.label} (median)`, value: median(times[k]!), unit: 'ms' })),
      ...commands.map((c, k) => ({ section, name: `${c.label} / \`node -e 0\``, value: median(times[k]!) / nodeMs, unit: 'x', ...(c.goal ? { goal: c.goal } : {}) })),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
