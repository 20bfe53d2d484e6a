import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { blockPipedOutput } from '../../src/cli/block-piped-output.js';

describe('blockPipedOutput', () => {
  it('turns on blocking writes on a piped stdout, so a long list is not queued behind a slow reader', () => {
    // A child whose stdout is a pipe (the built module, as bin/rolplay.js runs it) writes 4 MB and
    // exits at once: what Node had queued is lost, what was written blocking has all arrived.
    const script = `
      const { blockPipedOutput } = await import(${JSON.stringify(new URL('../../dist/cli/block-piped-output.js', import.meta.url).href)});
      if (process.env.MODE === 'block') blockPipedOutput(process.stdout);
      process.stdout.write('x'.repeat(4 << 20));
      process.exit(0);`;
    const run = (mode: string) => spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, MODE: mode }, encoding: 'utf8', maxBuffer: 1 << 24 });
    expect(run('queue').stdout.length).toBeLessThan(4 << 20);
    expect(run('block').stdout).toHaveLength(4 << 20);
  });

  it('calls setBlocking(true) on the stream handle, and leaves a stream without one alone', () => {
    const calls: boolean[] = [];
    const piped = Object.assign(new PassThrough(), { _handle: { setBlocking: (on: boolean) => { calls.push(on); return 0; } } });
    blockPipedOutput(piped);
    expect(calls).toEqual([true]);
    expect(() => blockPipedOutput(new PassThrough())).not.toThrow();
  });
});
