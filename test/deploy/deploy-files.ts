import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';
import { ENV_OVERRIDES } from '../../src/config/env-overrides.js';
import { SECRET_KEYS, type Config } from '../../src/config/schema.js';

/** Reading the deployment files the way their platforms do, to test them against the code. */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
export const readYaml = <T>(path: string): T => parse(read(path)) as T;

export const packageJson = JSON.parse(read('package.json')) as {
  bin: Record<string, string>;
  files: string[];
  engines: { node: string };
  scripts: Record<string, string>;
  allowScripts: Record<string, boolean>;
};

/** The environment variable names rolplay reads, from the override table itself. */
export const ENV_NAMES = new Set(ENV_OVERRIDES.map((o) => o.name));
/** The variables that carry a secret (a key the config redacts). */
export const SECRET_ENV_NAMES = ENV_OVERRIDES.filter((o) => SECRET_KEYS.has(o.key)).map((o) => o.name);

/** The config rolplay would run with under `env`, with no config file in reach. */
export function configFromEnv(env: Record<string, string>): Config {
  const cwd = mkdtempSync(join(tmpdir(), 'rolplay-deploy-'));
  return loadConfig({ env: { HOME: cwd, ...env }, cwd }).config;
}

/** The major version a range like ">=20.19" starts at. */
export const minimumMajor = (range: string): number => Number(/(\d+)/.exec(range)?.[1]);

/** The README text from `heading` to the next heading of the same or a higher level. */
export function readmeSection(heading: string): string {
  const lines = read('README.md').split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`README has no "${heading}" heading`);
  const level = /^#+/.exec(heading)![0].length;
  let inFence = false;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i]!.startsWith('```')) inFence = !inFence;
    const m = /^(#+) /.exec(lines[i]!);
    if (!inFence && m && m[1]!.length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join('\n');
}

/** Names documented in the README's environment variable table (backticked, upper case). */
export function readmeEnvTable(): Set<string> {
  const section = readmeSection('## Configuration');
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return new Set(rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!)));
}
