import { mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { suggest } from '../../src/config/config-issues.js';
import { ConfigError } from '../../src/support/errors.js';
import { noEnv } from '../helpers/config-files.js';

function dirWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-cfg-'));
  writeFileSync(join(dir, 'config.json'), text);
  return dir;
}

function problems(cwd: string, env: NodeJS.ProcessEnv = noEnv): string[] {
  try {
    loadConfig({ env, cwd });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config strictness', () => {
  it('rejects a misspelled nested key, naming its full path and the key meant', () => {
    const cwd = dirWith(JSON.stringify({ gemini: { concurency: 4 }, twilio: { templates: { plann: 'HX1' } } }));
    expect(problems(cwd)).toEqual([
      `${join(cwd, 'config.json')}: gemini.concurency: unknown key; did you mean "concurrency"?`,
      `${join(cwd, 'config.json')}: twilio.templates.plann: unknown key; did you mean "plan"?`,
    ]);
  });

  it('checks every level, including the deepest objects, one line per key', () => {
    const cwd = dirWith(JSON.stringify({ microsoft: { certificate: { thumbprnt: 'x' } }, jobs: { concurrency: { crm: 2, Plans: 3 } }, schedule: { colour: 'red' } }));
    const lines = problems(cwd);
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes('thumbprnt'))).toMatch(/microsoft\.certificate\.thumbprnt: unknown key; did you mean "thumbprint"\?$/);
    expect(lines.find((l) => l.includes('Plans'))).toMatch(/jobs\.concurrency\.Plans: unknown key; did you mean "plans"\?$/);
    // Nothing close: no guess, a pointer to the example instead.
    expect(lines.find((l) => l.includes('colour'))).toMatch(/schedule\.colour: unknown key; see config\.example\.json/);
  });

  it('suggests only keys near enough to be a slip', () => {
    expect(suggest('concurency', ['model', 'concurrency'])).toBe('concurrency');
    expect(suggest('PORT', ['host', 'port'])).toBe('port');
    expect(suggest('colour', ['host', 'port'])).toBeUndefined();
    expect(suggest('x', [])).toBeUndefined();
  });
});

describe('config file syntax errors', () => {
  it('gives the file, line and column of a JSON syntax error', () => {
    const cwd = dirWith('{\n  "gemini": {\n    "model": "x"\n    "apiKey": "k"\n  }\n}\n');
    const [line] = problems(cwd);
    expect(line).toMatch(new RegExp(`^${join(cwd, 'config.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:5: not valid JSON \\(.+ at line 4, column 5\\)`));
    expect(line).not.toMatch(/position/);
  });

  it('places an unfinished file at its end', () => {
    const [line] = problems(dirWith('{\n  "bot": '));
    expect(line).toMatch(/:2:10: not valid JSON \(Unexpected end of the file at line 2, column 10\)/);
  });
});

describe('environment values that fail validation', () => {
  it('name the variable and the key', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rolplay-env-'));
    expect(problems(cwd, { ...noEnv, ROLPLAY_SERVER_PORT: '99999' })).toEqual([
      'ROLPLAY_SERVER_PORT (server.port): expected a number <=65535, found number 99999',
    ]);
    expect(problems(cwd, { ...noEnv, PORT: '70000' })[0]).toMatch(/^PORT \(server\.port\): /);
    expect(problems(cwd, { ...noEnv, ROLPLAY_DEFAULT_TIMEZONE: 'Mars/Base' })[0]).toMatch(/^ROLPLAY_DEFAULT_TIMEZONE \(defaults\.timezone\): expected an IANA time zone/);
    expect(problems(cwd, { ...noEnv, ADMIN_WHATSAPP_TO: '12' })[0]).toMatch(/^ADMIN_WHATSAPP_TO \(admin\.whatsapp\): /);
  });

  it('a bad value from the file still names the file', () => {
    const cwd = dirWith(JSON.stringify({ server: { port: 99999 } }));
    expect(problems(cwd)[0]).toMatch(new RegExp(`config\\.json: server\\.port: expected a number`));
  });
});

describe('dataDir default', () => {
  const empty = () => mkdtempSync(join(tmpdir(), 'rolplay-xdg-'));

  it('is $XDG_DATA_HOME/rolplay when XDG_DATA_HOME is set', () => {
    const loaded = loadConfig({ env: { ...noEnv, XDG_DATA_HOME: '/srv/xdg-data' }, cwd: empty() });
    expect(loaded.config.dataDir).toBe('/srv/xdg-data/rolplay');
    // `config show` says where it came from.
    expect(loaded.sources.dataDir).toBe('env:XDG_DATA_HOME');
  });

  it('is ~/.local/share/rolplay otherwise, and when XDG_DATA_HOME is relative (the XDG spec says to ignore it)', () => {
    expect(loadConfig({ env: noEnv, cwd: empty() }).config.dataDir).toBe(join(homedir(), '.local/share/rolplay'));
    expect(loadConfig({ env: { ...noEnv, XDG_DATA_HOME: 'rel/data' }, cwd: empty() }).config.dataDir).toBe(join(homedir(), '.local/share/rolplay'));
  });

  it('never overrides a dataDir from the file or ROLPLAY_DATA_DIR', () => {
    const cwd = dirWith(JSON.stringify({ dataDir: '/srv/file-data' }));
    expect(loadConfig({ env: { ...noEnv, XDG_DATA_HOME: '/srv/xdg-data' }, cwd }).config.dataDir).toBe('/srv/file-data');
    expect(loadConfig({ env: { ...noEnv, XDG_DATA_HOME: '/srv/xdg-data', ROLPLAY_DATA_DIR: '/srv/env-data' }, cwd: empty() }).config.dataDir).toBe('/srv/env-data');
  });
});
