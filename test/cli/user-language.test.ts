import { describe, expect, it } from 'vitest';
import { runCli, tempConfig } from '../helpers/run-cli.js';

describe('rolplay user add --language', () => {
  it('stores the language (a code or a name), shows it in list and --json; without it, defaults.language', async () => {
    const { path } = tempConfig({ defaults: { language: 'es' } });
    const add = await runCli(['--config', path, 'user', 'add', '--name', 'Sara Lopez', '--email', 'sara@company.com', '--phone', '+14155552671', '--language', 'English', '--no-welcome']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('time zone UTC, language en.');
    await runCli(['--config', path, 'user', 'add', '--name', 'Ana Ruiz', '--email', 'ana@company.com', '--phone', '+14155552672', '--no-welcome']);
    const json = JSON.parse((await runCli(['--config', path, 'user', 'list', '--json'])).stdout) as Array<{ email: string; language: string }>;
    expect(json.map((u) => [u.email, u.language])).toEqual([['ana@company.com', 'es'], ['sara@company.com', 'en']]);
    const table = (await runCli(['--config', path, 'user', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/TIME ZONE\s+LANGUAGE\s+ADDED/);
    expect(table[1]).toMatch(/ana@company\.com.*UTC\s+es\s+/);
    // Updating without --language keeps theirs; with it, changes it.
    await runCli(['--config', path, 'user', 'add', '--name', 'Ana Ruiz', '--email', 'ana@company.com', '--phone', '+14155552672', '--no-welcome']);
    await runCli(['--config', path, 'user', 'add', '--name', 'Sara Lopez', '--email', 'sara@company.com', '--phone', '+14155552671', '--language', 'es', '--no-welcome']);
    const after = JSON.parse((await runCli(['--config', path, 'user', 'list', '--json'])).stdout) as Array<{ language: string }>;
    expect(after.map((u) => u.language)).toEqual(['es', 'es']);
  });

  it('refuses a language without a catalogue with one line listing the languages, exit 2, storing nothing', async () => {
    const { path } = tempConfig();
    const add = await runCli(['--config', path, 'user', 'add', '--name', 'Sara', '--email', 'sara@x.com', '--phone', '+14155552671', '--language', 'fr']);
    expect(add.code).toBe(2);
    expect(add.stderr.trim()).toMatch(/--language: "fr" is not a language rolplay speaks: expected one of en, es$/);
    expect(JSON.parse((await runCli(['--config', path, 'user', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('a bad defaults.language fails the config with the dotted key and exit 2', async () => {
    const { path } = tempConfig({ defaults: { language: 'pt' } });
    const list = await runCli(['--config', path, 'user', 'list']);
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/defaults\.language: expected one of en, es/);
  });
});
