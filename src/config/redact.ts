import { SECRET_KEYS, type Config } from './schema.js';

/** A copy of the config safe to print: secrets show only whether they are set. */
export function redactConfig(config: Config): Record<string, unknown> {
  return redactValue(config, '') as Record<string, unknown>;
}

function redactValue(value: unknown, key: string): unknown {
  if (SECRET_KEYS.has(key)) return typeof value === 'string' && value !== '' ? redactSecret(key, value) : value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, key ? `${k === '' ? key : `${key}.${k}`}` : k)]));
  }
  return value;
}

function redactSecret(key: string, value: string): string {
  if (key === 'database.url') return redactUrl(value);
  return '[redacted]';
}

/** postgres://user:secret@host/db -> postgres://user:***@host/db */
export function redactUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[redacted]';
  }
}
