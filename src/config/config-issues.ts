import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { configSchema, SECRET_KEYS } from './schema.js';

/**
 * One line per schema problem: where it came from (the file, or the environment variable that
 * set the key), the dotted key, what was expected and what was found (secrets redacted).
 * An unknown key gets a "did you mean" when a known key of the same object is close to it.
 */
export function formatIssue(where: string, issue: z.core.$ZodIssue, raw: Record<string, unknown>, sources: Record<string, string>): string[] {
  const key = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path.map(String));
    return issue.keys.map((k) => {
      const suggestion = suggest(k, known);
      const hint = suggestion ? `did you mean "${suggestion}"?` : 'see config.example.json for the keys rolplay reads';
      return `${where}: ${key ? `${key}.${k}` : k}: unknown key; ${hint}`;
    });
  }
  const found = getPath(raw, key);
  const shown = SECRET_KEYS.has(key) ? '[redacted]' : describe(found);
  let message = issue.message;
  if (issue.code === 'invalid_type') message = `expected ${issue.expected}`;
  if (issue.code === 'too_small' || issue.code === 'too_big') message = issue.message.replace(/^Too (small|big): expected number to be /, 'expected a number ');
  return [`${origin(where, key, sources)}: ${message}, found ${shown}`];
}

/** "ROLPLAY_SERVER_PORT (server.port)" when the environment set the key, else "config.json: server.port". */
export function origin(where: string, key: string, sources: Record<string, string>): string {
  const source = sources[key];
  if (source?.startsWith('env:')) return `${source.slice(4)} (${key})`;
  return `${where}: ${key || '(top level)'}`;
}

/** The closest known key, if it is near enough to be a likely misspelling (case ignored). */
export function suggest(unknown: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const lower = unknown.toLowerCase();
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  const best = closest(lower, [...byLower.keys()]);
  // One edit in short words, up to a third of the letters in longer ones: "plann" -> "plan",
  // "concurency" -> "concurrency", but "colour" is not suggested for "port".
  return distance(lower, best) <= Math.max(1, Math.floor(unknown.length / 3)) ? byLower.get(best) : undefined;
}

type Schema = z.core.$ZodType;

/** The keys the schema accepts in the object at `path` (empty if there is no object there). */
export function knownKeys(path: readonly string[]): string[] {
  let node: Schema | undefined = configSchema;
  for (const part of path) {
    const shape = objectShape(node);
    node = shape?.[part];
  }
  return Object.keys(objectShape(node) ?? {});
}

function objectShape(node: Schema | undefined): Record<string, Schema> | undefined {
  let current = node;
  // Unwrap .default(), .prefault(), .optional() to the object inside.
  for (let i = 0; current && i < 5; i++) {
    const def = current._zod.def as { type: string; shape?: Record<string, Schema>; innerType?: Schema };
    if (def.type === 'object') return def.shape;
    current = def.innerType;
  }
  return undefined;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${typeof value} ${String(value)}`;
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
