import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { redactConfig } from '../../src/config/redact.js';
import { dirWith, noEnv, problems } from '../helpers/config-files.js';

describe('loadConfig', () => {
  it('uses defaults when there is no file', () => {
    const { config, path } = loadConfig({ env: noEnv, cwd: mkdtempSync(join(tmpdir(), 'rolplay-empty-')) });
    expect(path).toBeNull();
    expect(config.server.port).toBe(5000);
    expect(config.gemini.model).toBe('gemini-2.5-flash');
    expect(config.schedule.reminderDelayMinutes).toBe(1);
    expect(config.twilio.whatsappFrom).toBe('whatsapp:+14155238886');
    expect([config.microsoft.timeoutSeconds, config.gemini.timeoutSeconds, config.twilio.timeoutSeconds, config.hubspot.timeoutSeconds]).toEqual([30, 60, 15, 30]);
    expect([config.hubspot.searchLagSeconds, config.jobs.retryBaseSeconds, config.jobs.retryMaxSeconds]).toEqual([30, 5, 3600]);
  });

  it('bounds the timeouts and retry waits', () => {
    const cwd = dirWith({ twilio: { timeoutSeconds: 0 }, hubspot: { searchLagSeconds: -1 }, jobs: { retryBaseSeconds: 0 } });
    const lines = problems(() => loadConfig({ env: noEnv, cwd }));
    expect(lines.map((l) => /(twilio|hubspot|jobs)\.\w+/.exec(l)?.[0])).toEqual(['twilio.timeoutSeconds', 'hubspot.searchLagSeconds', 'jobs.retryBaseSeconds']);
  });

  it('reads ./config.json, then the environment wins, and records sources', () => {
    const cwd = dirWith({ bot: { email: 'Coach-Bot@Acme.com' }, gemini: { model: 'gemini-2.5-pro' }, microsoft: { internalDomains: ['@Acme.com'] } });
    const { config, sources } = loadConfig({ env: { ...noEnv, GEMINI_API_KEY: 'k-123', DATABASE_URL: 'postgres://u:p@db/x', PORT: '8080' }, cwd });
    expect(config.bot.email).toBe('coach-bot@acme.com');
    expect(config.gemini.apiKey).toBe('k-123');
    expect(config.gemini.model).toBe('gemini-2.5-pro');
    expect(config.database.url).toBe('postgres://u:p@db/x');
    expect(config.server.port).toBe(8080);
    expect(config.microsoft.internalDomains).toEqual(['acme.com']);
    expect(sources['gemini.apiKey']).toBe('env:GEMINI_API_KEY');
    expect(sources['gemini.model']).toBe('file');
    expect(sources['server.port']).toBe('env:PORT');
  });

  it('accepts the seed environment names for every secret', () => {
    const env = {
      ...noEnv,
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'tok',
      TWILIO_WHATSAPP_FROM: '+1 415 523 8886',
      ADMIN_WHATSAPP_TO: 'whatsapp:+34 612 34 56 78',
      HUBSPOT_ACCESS_TOKEN: 'pat',
    };
    const { config } = loadConfig({ env, cwd: mkdtempSync(join(tmpdir(), 'rolplay-empty-')) });
    expect(config.twilio.accountSid).toBe(`AC${'0'.repeat(32)}`);
    expect(config.twilio.whatsappFrom).toBe('whatsapp:+14155238886');
    expect(config.admin.whatsapp).toBe('+34612345678');
    expect(config.hubspot.accessToken).toBe('pat');
  });

  it('reports one line per problem with the dotted key, expected and found', () => {
    const cwd = dirWith({ server: { port: 'eighty' }, twilio: { accountSid: 'XX1' }, gemini: { concurrency: 0 }, nope: 1, defaults: { timezone: 'Mars/Base' } });
    const lines = problems(() => loadConfig({ env: noEnv, cwd }));
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.includes('server.port'))).toMatch(/expected number, found "eighty"/);
    expect(lines.find((l) => l.includes('twilio.accountSid'))).toMatch(/AC.*found "XX1"/);
    expect(lines.find((l) => l.includes('gemini.concurrency'))).toMatch(/found number 0/);
    expect(lines.find((l) => l.includes('nope'))).toMatch(/unknown key/);
    expect(lines.find((l) => l.includes('defaults.timezone'))).toMatch(/IANA/);
    for (const line of lines) expect(line.startsWith(join(cwd, 'config.json'))).toBe(true);
  });

  it('never shows a secret in an error', () => {
    const cwd = dirWith({ twilio: { authToken: 12345678 } });
    const lines = problems(() => loadConfig({ env: noEnv, cwd }));
    expect(lines[0]).toContain('twilio.authToken');
    expect(lines[0]).not.toContain('12345678');
  });

  it('rejects bad environment values naming the variable', () => {
    const lines = problems(() => loadConfig({ env: { ...noEnv, PORT: 'abc', ROLPLAY_ACCEPT_INVITES: 'maybe' }, cwd: mkdtempSync(join(tmpdir(), 'e-')) }));
    expect(lines).toEqual([
      expect.stringMatching(/^PORT \(server\.port\): expected a whole number, found "abc"/),
      expect.stringMatching(/^ROLPLAY_ACCEPT_INVITES \(microsoft\.acceptInvites\): expected true or false/),
    ]);
  });

  it('rejects an invalid admin number with the expected form', () => {
    const lines = problems(() => loadConfig({ env: { ...noEnv, ADMIN_WHATSAPP_TO: '12' }, cwd: mkdtempSync(join(tmpdir(), 'e-')) }));
    expect(lines[0]).toMatch(/^ADMIN_WHATSAPP_TO \(admin\.whatsapp\): .*expected an international number/);
  });

  it('explains corrupt JSON, a missing explicit file and a non-object', () => {
    expect(problems(() => loadConfig({ env: noEnv, cwd: dirWith('{"bot": ') }))[0]).toMatch(/not valid JSON/);
    expect(problems(() => loadConfig({ env: noEnv, configPath: '/nonexistent/rolplay.json' }))[0]).toMatch(/cannot read the config file \(no such file\)/);
    expect(problems(() => loadConfig({ env: noEnv, cwd: dirWith('[1,2]') }))[0]).toMatch(/expected a JSON object/);
  });

  it('finds the file through ROLPLAY_CONFIG and the user config dir', () => {
    const a = dirWith({ gemini: { model: 'from-env-path' } });
    expect(loadConfig({ env: { ...noEnv, ROLPLAY_CONFIG: join(a, 'config.json') }, cwd: tmpdir() }).config.gemini.model).toBe('from-env-path');
    const xdg = mkdtempSync(join(tmpdir(), 'xdg-'));
    const dir = join(xdg, 'rolplay');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ gemini: { model: 'from-xdg' } }));
    expect(loadConfig({ env: { ...noEnv, XDG_CONFIG_HOME: xdg }, cwd: mkdtempSync(join(tmpdir(), 'e-')) }).config.gemini.model).toBe('from-xdg');
  });
});

describe('redactConfig', () => {
  it('hides secrets and database passwords', () => {
    const { config } = loadConfig({ env: { ...noEnv, TWILIO_AUTH_TOKEN: 'sekrit', DATABASE_URL: 'postgres://app:pw123@db:5432/rolplay' }, cwd: mkdtempSync(join(tmpdir(), 'e-')) });
    const text = JSON.stringify(redactConfig(config));
    expect(text).not.toContain('sekrit');
    expect(text).not.toContain('pw123');
    expect(text).toContain('postgres://app:***@db:5432/rolplay');
  });
});
