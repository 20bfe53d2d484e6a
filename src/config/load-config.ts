import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../support/errors.js';
import { parsePhone, toWhatsAppAddress } from '../domain/phone.js';
import { configSchema, SECRET_KEYS, type Config } from './schema.js';
import { ENV_OVERRIDES } from './env-overrides.js';

export interface LoadConfigOptions {
  /** `--config` from the command line. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  /** The file read, or null when only defaults and the environment apply. */
  path: string | null;
  /** Where each dotted key's value came from: "file", "env:NAME" (absent = default). */
  sources: Record<string, string>;
}

/** Finds config.json: --config, ROLPLAY_CONFIG, ./config.json, then the user config dir. */
export function findConfigFile(options: LoadConfigOptions = {}): { path: string | null; explicit: boolean } {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  if (options.configPath) return { path: resolve(cwd, options.configPath), explicit: true };
  if (env.ROLPLAY_CONFIG) return { path: resolve(cwd, env.ROLPLAY_CONFIG), explicit: true };
  const local = join(cwd, 'config.json');
  if (existsSync(local)) return { path: local, explicit: false };
  const userDir = env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'rolplay') : join(env.HOME ?? homedir(), '.config', 'rolplay');
  const user = join(userDir, 'config.json');
  if (existsSync(user)) return { path: user, explicit: false };
  return { path: null, explicit: false };
}

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const { path } = findConfigFile(options);
  const sources: Record<string, string> = {};
  let raw: Record<string, unknown> = {};
  if (path !== null) {
    raw = readConfigFile(path);
    for (const key of leafKeys(raw)) sources[key] = 'file';
  }
  const problems: string[] = [];
  for (const override of ENV_OVERRIDES) {
    const value = env[override.name];
    if (value === undefined || value === '') continue;
    const parsed = override.parse(value);
    if (!parsed.ok) {
      problems.push(`${override.name} (${override.key}): ${parsed.reason}`);
      continue;
    }
    setPath(raw, override.key, parsed.value);
    sources[override.key] = `env:${override.name}`;
  }
  const where = path ?? 'config';
  const result = configSchema.safeParse(raw);
  if (!result.success) problems.push(...result.error.issues.map((issue) => formatIssue(where, issue, raw)));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  const config = result.data;
  problems.push(...normalise(config, where));
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, path, sources };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code ?? 'unreadable';
    throw new ConfigError(`${path}: cannot read the config file (${why}); pass --config with an existing file or copy config.example.json`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${(error as Error).message}); fix the file or copy config.example.json`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${path}: expected a JSON object at the top level, found ${describe(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

/** Cross-field checks and canonical forms the schema alone cannot express. */
function normalise(config: Config, where: string): string[] {
  const problems: string[] = [];
  config.bot.email = config.bot.email.toLowerCase();
  config.microsoft.internalDomains = config.microsoft.internalDomains.map((d) => d.toLowerCase().replace(/^@/, ''));
  config.defaults.country = config.defaults.country.toUpperCase();
  config.dataDir = expandHome(config.dataDir);
  config.server.publicUrl = config.server.publicUrl.replace(/\/+$/, '');
  for (const key of ['admin.whatsapp', 'twilio.whatsappFrom'] as const) {
    const value = key === 'admin.whatsapp' ? config.admin.whatsapp : config.twilio.whatsappFrom;
    if (value === '') continue;
    const phone = parsePhone(value, config.defaults.country);
    if (!phone.ok) {
      problems.push(`${where}: ${key}: ${phone.reason}`);
      continue;
    }
    if (key === 'admin.whatsapp') config.admin.whatsapp = phone.e164;
    else config.twilio.whatsappFrom = toWhatsAppAddress(phone.e164);
  }
  return problems;
}

export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return resolve(path);
}

function formatIssue(where: string, issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  const key = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.map((k) => (key ? `${key}.${k}` : k)).join(', ');
    return `${where}: ${names}: unknown key (see config.example.json for the keys rolplay reads)`;
  }
  const found = getPath(raw, key);
  const shown = SECRET_KEYS.has(key) ? '[redacted]' : describe(found);
  let message = issue.message;
  if (issue.code === 'invalid_type') message = `expected ${issue.expected}`;
  if (issue.code === 'too_small' || issue.code === 'too_big') message = issue.message.replace(/^Too (small|big): expected number to be /, 'expected a number ');
  return `${where}: ${key || '(top level)'}: ${message}, found ${shown}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${typeof value} ${String(value)}`;
}

function leafKeys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

function getPath(obj: Record<string, unknown>, dotted: string): unknown {
  if (dotted === '') return obj;
  let current: unknown = obj;
  for (const part of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let current = obj;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1] as string] = value;
}
