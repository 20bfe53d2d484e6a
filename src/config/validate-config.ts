import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../support/errors.js';
import { toWhatsAppAddress } from '../domain/phone-address.js';
import type { PhoneResult } from '../domain/phone.js';
import { DEFAULT_WHATSAPP_FROM, configSchema, type Config } from './schema.js';
import { describe, formatIssue, origin } from './config-issues.js';
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

/** domain/phone.ts's parsePhone, passed in: it loads libphonenumber's full metadata. */
export type PhoneParser = (input: string, defaultCountry: string) => PhoneResult;

/** A config that passed the schema, before the phone numbers in it are parsed (see finishConfig). */
export interface ValidatedConfig extends LoadedConfig {
  where: string;
  env: NodeJS.ProcessEnv;
  /** The phone settings finishConfig parses: only these need a PhoneParser. */
  phoneKeys: PhoneKey[];
}

type PhoneKey = 'admin.whatsapp' | 'twilio.whatsappFrom';

/**
 * Reads and checks the config: the file, the environment overrides, the schema. Throws a
 * ConfigError with one line per problem. Phone numbers are checked by finishConfig, so a
 * command whose config holds none starts without the phone metadata.
 */
export function validateConfig(options: LoadConfigOptions = {}): ValidatedConfig {
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
  // Parsed once per process: zod's compiled fast path for objects (new Function per object
  // schema) costs more to build than this one parse takes without it.
  const result = configSchema.safeParse(raw, { jitless: true });
  if (!result.success) problems.push(...result.error.issues.flatMap((issue) => formatIssue(where, issue, raw, sources)));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  const config = result.data;
  // The default sender is Twilio's sandbox number, already in canonical form (a test pins it).
  const phoneKeys = (['admin.whatsapp', 'twilio.whatsappFrom'] as const).filter((key) => phoneValue(config, key) !== '' &&
    !(key === 'twilio.whatsappFrom' && config.twilio.whatsappFrom === DEFAULT_WHATSAPP_FROM));
  return { config, path, sources, where, env, phoneKeys };
}

/** Cross-field checks and canonical forms; `parsePhone` is needed when validated.phoneKeys is not empty. */
export function finishConfig(validated: ValidatedConfig, parsePhone?: PhoneParser): LoadedConfig {
  const { config, path, sources } = validated;
  const problems = normalise(validated, parsePhone);
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, path, sources };
}

function phoneValue(config: Config, key: PhoneKey): string {
  return key === 'admin.whatsapp' ? config.admin.whatsapp : config.twilio.whatsappFrom;
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
    const { line, column, reason } = jsonErrorPlace(text, (error as Error).message);
    throw new ConfigError(`${path}:${line}:${column}: not valid JSON (${reason} at line ${line}, column ${column}); fix the file or copy config.example.json`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${path}: expected a JSON object at the top level, found ${describe(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Line and column (both from 1) of a JSON.parse error. V8 reports a character offset
 * ("... in JSON at position 16"; newer versions add "(line 3 column 5)"), or none at the end of
 * the input; editors and humans count lines.
 */
export function jsonErrorPlace(text: string, message: string): { line: number; column: number; reason: string } {
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Math.min(Number(position[1]), text.length) : text.length;
  const before = text.slice(0, offset).split('\n');
  const reason = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '').replace(/ of JSON input$/, ' of the file');
  return { line: before.length, column: (before[before.length - 1] ?? '').length + 1, reason };
}

/** The default data folder: $XDG_DATA_HOME/rolplay when that is set (to an absolute path, as the XDG spec requires). */
function defaultDataDir(env: NodeJS.ProcessEnv): string | undefined {
  const xdg = env.XDG_DATA_HOME;
  return xdg && isAbsolute(xdg) ? join(xdg, 'rolplay') : undefined;
}

/** Cross-field checks and canonical forms the schema alone cannot express. */
function normalise({ config, where, sources, env, phoneKeys }: ValidatedConfig, parsePhone?: PhoneParser): string[] {
  const problems: string[] = [];
  const xdgDataDir = sources.dataDir === undefined ? defaultDataDir(env) : undefined;
  if (xdgDataDir) {
    config.dataDir = xdgDataDir;
    sources.dataDir = 'env:XDG_DATA_HOME';
  }
  config.bot.email = config.bot.email.toLowerCase();
  config.microsoft.internalDomains = config.microsoft.internalDomains.map((d) => d.toLowerCase().replace(/^@/, ''));
  config.defaults.country = config.defaults.country.toUpperCase();
  config.dataDir = expandHome(config.dataDir);
  config.server.publicUrl = config.server.publicUrl.replace(/\/+$/, '');
  for (const key of phoneKeys) {
    if (!parsePhone) throw new Error(`finishConfig needs a phone parser for ${key}`);
    const phone = parsePhone(phoneValue(config, key), config.defaults.country);
    if (!phone.ok) {
      problems.push(`${origin(where, key, sources)}: ${phone.reason}`);
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

function leafKeys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
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
