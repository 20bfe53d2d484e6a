import { describe, expect, it } from 'vitest';
import { spawnRolplay } from '../helpers/daemon-process.js';
import { tempConfig } from '../helpers/run-cli.js';

describe('log lines of rolplay start', () => {
  it('stay JSON on a piped stderr, for log collectors (other commands write human lines: see meetings-replay.test.ts)', async () => {
    const { path } = tempConfig();
    const daemon = spawnRolplay(['start', '--once', '--config', path], { ROLPLAY_LOG_LEVEL: 'info' });
    await daemon.exited;
    const lines = daemon.lines.filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringMatching(/^the calendar is not polled/) }));
  });
});
