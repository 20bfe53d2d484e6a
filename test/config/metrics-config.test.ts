import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { redactConfig } from '../../src/config/redact.js';
import { createLogger } from '../../src/support/logger.js';
import { ConfigError } from '../../src/support/errors.js';

const cwd = () => mkdtempSync(join(tmpdir(), 'rolplay-empty-'));
const env = { HOME: '/nonexistent-home' };
const TOKEN = 'metrics-token-7f3a9c';

describe('server.metrics and server.metricsToken', () => {
  it('are off and empty by default, and read from ROLPLAY_SERVER_METRICS and ROLPLAY_SERVER_METRICS_TOKEN', () => {
    expect(loadConfig({ env, cwd: cwd() }).config.server).toMatchObject({ metrics: false, metricsToken: '' });
    const loaded = loadConfig({ env: { ...env, ROLPLAY_SERVER_METRICS: 'true', ROLPLAY_SERVER_METRICS_TOKEN: TOKEN }, cwd: cwd() });
    expect(loaded.config.server).toMatchObject({ metrics: true, metricsToken: TOKEN });
    expect(loaded.sources['server.metricsToken']).toBe('env:ROLPLAY_SERVER_METRICS_TOKEN');
  });

  it('refuses a ROLPLAY_SERVER_METRICS that is not a boolean, naming the variable', () => {
    let error: unknown;
    try {
      loadConfig({ env: { ...env, ROLPLAY_SERVER_METRICS: 'maybe' }, cwd: cwd() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/ROLPLAY_SERVER_METRICS \(server\.metrics\): expected true or false/);
  });

  it('keeps the token out of `config show` and of log lines', () => {
    const { config } = loadConfig({ env: { ...env, ROLPLAY_SERVER_METRICS_TOKEN: TOKEN }, cwd: cwd() });
    const shown = redactConfig(config);
    expect(JSON.stringify(shown)).not.toContain(TOKEN);
    expect((shown.server as Record<string, unknown>).metricsToken).toBe('[redacted]');
    let logged = '';
    const logger = createLogger({ destination: new Writable({ write(c, _e, cb) { logged += String(c); cb(); } }) });
    logger.info({ server: config.server }, 'config');
    expect(logged).toContain('"metricsToken":"[redacted]"');
    expect(logged).not.toContain(TOKEN);
  });
});
