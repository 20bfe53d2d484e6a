import { describe, expect, it } from 'vitest';
import { runCli, tempConfig } from '../helpers/run-cli.js';

const LEVELS = 'fatal, error, warn, info, debug, trace, silent';

describe('a bad log level', () => {
  it('--log-level loud: one line naming the option and the allowed levels, exit 2', async () => {
    const { path } = tempConfig();
    const run = await runCli(['--config', path, '--log-level', 'loud', 'user', 'list']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`rolplay: --log-level: "loud" is not a log level; use one of ${LEVELS}\n`);
  });

  it('ROLPLAY_LOG_LEVEL=loud: the same check, naming the variable', async () => {
    const { path } = tempConfig();
    const run = await runCli(['--config', path, 'user', 'list'], { ROLPLAY_LOG_LEVEL: 'loud' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`rolplay: ROLPLAY_LOG_LEVEL (log.level): "loud" is not a log level; use one of ${LEVELS}\n`);
  });

  it('log.level in the file names the key and the allowed levels', async () => {
    const { path } = tempConfig({ log: { level: 'loud' } });
    const run = await runCli(['--config', path, 'user', 'list'], { ROLPLAY_LOG_LEVEL: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`log.level: expected one of ${LEVELS}, found "loud"`);
  });

  it('a good level works from either place', async () => {
    const { path } = tempConfig();
    expect((await runCli(['--config', path, '--log-level', 'debug', 'user', 'list', '--json'])).code).toBe(0);
    expect((await runCli(['--config', path, 'user', 'list', '--json'], { ROLPLAY_LOG_LEVEL: 'error' })).code).toBe(0);
  });
});
