import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { processIo } from '../../src/cli/cli-context.js';
import { ENV_NAMES, configFromEnv, packageJson, read, readmeSection } from './deploy-files.js';

/**
 * The unit as systemd reads it (systemd.syntax(7)): [Section] headers, Key=value lines, `#` and
 * `;` comments; a key may repeat (Environment=, SystemCallFilter=).
 */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = sections[header[1]!] = {};
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 0) throw new Error(`not a unit line: ${line}`);
    (current[line.slice(0, eq).trim()] ??= []).push(line.slice(eq + 1).trim());
  }
  return sections;
}

const UNIT_PATH = 'deploy/rolplay.service';
const text = read(UNIT_PATH);
const unit = parseUnit(text);
const service = unit.Service!;
const one = (key: string) => service[key]?.at(-1);
const environment = Object.fromEntries((service.Environment ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
const isYes = (value: string | undefined) => ['yes', 'true', 'on', '1'].includes(value ?? '');
const systemdAnalyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).status === 0;

describe('deploy/rolplay.service', () => {
  it('starts `rolplay start` through the package bin, after the network is up', () => {
    const [node, script, command, ...rest] = one('ExecStart')!.split(/\s+/);
    expect(node).toMatch(/^\/\S*\/node$/);
    expect(script!.endsWith(`/${packageJson.bin.rolplay}`)).toBe(true);
    expect(rest).toEqual([]);
    expect(buildProgram(processIo()).commands.map((c) => c.name())).toContain(command);
    expect(command).toBe('start');
    expect(unit.Unit!.After).toContain('network-online.target');
    expect(unit.Install!.WantedBy).toEqual(['multi-user.target']);
  });

  it('restarts on failure, reads secrets from an EnvironmentFile, and gives a graceful stop time', () => {
    expect(one('Restart')).toBe('on-failure');
    expect(one('EnvironmentFile')).toMatch(/^\/etc\/rolplay\/\S+\.env$/);
    expect(one('KillSignal')).toBe('SIGTERM');
    // rolplay exits within 5 s of SIGTERM.
    expect(Number.parseInt(one('TimeoutStopSec')!, 10)).toBeGreaterThan(5);
  });

  it('keeps the store in its StateDirectory, as a dedicated or dynamic user', () => {
    expect(one('User') !== undefined || isYes(one('DynamicUser'))).toBe(true);
    expect(['root', '0']).not.toContain(one('User'));
    const state = one('StateDirectory');
    expect(state).toBe('rolplay');
    expect(Object.keys(environment).filter((name) => !ENV_NAMES.has(name) && name !== 'ROLPLAY_CONFIG')).toEqual([]);
    const { ROLPLAY_CONFIG: configPath, ...env } = environment;
    expect(configPath).toMatch(/^\/etc\/rolplay\//);
    expect(configFromEnv(env).dataDir).toBe(`/var/lib/${state}`);
  });

  it('is sandboxed', () => {
    for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'PrivateDevices', 'ProtectKernelTunables', 'ProtectKernelModules', 'ProtectControlGroups', 'RestrictSUIDSGID', 'RestrictNamespaces', 'LockPersonality']) {
      expect(one(key), key).toBe('yes');
    }
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(one('RestrictAddressFamilies')!.split(/\s+/).sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX']);
    // V8 compiles to executable memory: this option would kill node at start.
    expect(service.MemoryDenyWriteExecute).toBeUndefined();
  });

  it('is what the README installs, with the same paths for running CLI commands', () => {
    const section = readmeSection('### A Linux server with systemd');
    expect(section).toContain(UNIT_PATH);
    expect(section).not.toMatch(/^\[Service\]$/m);
    for (const value of [environment.ROLPLAY_CONFIG!, environment.ROLPLAY_DATA_DIR!, one('EnvironmentFile')!, one('ExecStart')!.split(/\s+/)[1]!]) {
      expect(section).toContain(value);
    }
  });

  // Skipped, and reported as skipped, where systemd-analyze (Debian package "systemd") is missing.
  it.runIf(systemdAnalyze)('passes `systemd-analyze verify` with no warnings (needs systemd-analyze)', () => {
    // verify checks that ExecStart's program exists: use this machine's node.
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-unit-'));
    const [node] = one('ExecStart')!.split(/\s+/);
    writeFileSync(join(dir, 'rolplay.service'), text.replace(`ExecStart=${node} `, `ExecStart=${process.execPath} `));
    const result = spawnSync('systemd-analyze', ['verify', join(dir, 'rolplay.service')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
