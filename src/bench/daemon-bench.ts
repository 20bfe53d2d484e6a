import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from './bench-result.js';

const BIN = fileURLToPath(new URL('../../bin/rolplay.js', import.meta.url));

/** Idle `rolplay start` (SQLite, no clouds configured): resident memory and CPU over a window. */
export async function runDaemonIdleBench(windowMs = 30_000): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-bench-daemon-'));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'data'), server: { host: '127.0.0.1', port: 0 }, log: { level: 'warn' } }));
  const child = spawn(process.execPath, [BIN, 'start', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ROLPLAY_LOG_LEVEL: 'warn' } });
  try {
    await new Promise((r) => setTimeout(r, 3000)); // start-up settles
    const before = cpuTicks(child.pid!);
    const started = Date.now();
    await new Promise((r) => setTimeout(r, windowMs));
    const ticks = cpuTicks(child.pid!) - before;
    const elapsed = Date.now() - started;
    const rssMb = rssKb(child.pid!) / 1024;
    const cpuPercent = ((ticks * 10) / elapsed) * 100; // 100 ticks per second on Linux
    return [
      { section: 'Idle daemon', name: `RSS after ${Math.round(windowMs / 1000)} s idle`, value: rssMb, unit: 'MiB' },
      { section: 'Idle daemon', name: `CPU over ${Math.round(windowMs / 1000)} s idle`, value: cpuPercent, unit: '% of one core' },
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0);
}
