import { spawn } from 'node:child_process';

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
