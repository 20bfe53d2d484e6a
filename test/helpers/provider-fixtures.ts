import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Contract fixtures: bodies written after each provider's documented examples and its users'
 * reports, one JSON file per case under test/fixtures/providers/<provider>/. Each file says
 * what it follows (`source`), and holds what crossed the wire: `status`, `headers` and `body`
 * for an HTTP answer, `form` for a form Twilio posts, `request` for a body rolplay sends.
 * Tests run rolplay's parsers on them and check that the simulators answer in the same shape,
 * so a simulator cannot drift from the provider unnoticed.
 */
export interface ProviderFixture {
  /** The documentation page or public report the case follows (a URL or "owner/repo#N"). */
  source: string;
  /** What could not be verified, or how the case differs from the documented example. */
  notes?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  form?: Record<string, string>;
  request?: unknown;
}

const ROOT = fileURLToPath(new URL('../fixtures/providers/', import.meta.url));

export function loadFixture(provider: string, name: string): ProviderFixture {
  const file = `${ROOT}${provider}/${name.endsWith('.json') ? name : `${name}.json`}`;
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as ProviderFixture;
  if (typeof fixture.source !== 'string' || fixture.source.trim() === '') throw new Error(`${file}: a fixture must name its source`);
  return fixture;
}

export function fixtureNames(provider: string): string[] {
  return readdirSync(`${ROOT}${provider}`).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/**
 * The differences between the shape of `actual` (what a simulator produced) and `expected` (a
 * fixture): every object must have exactly the fixture's keys (no more, no fewer: a simulator
 * friendlier than the provider is as wrong as a poorer one), values of the same JSON type
 * (null, string, number, boolean, array, object), array items shaped like the fixture's item at
 * the same position when both lists are as long, else like its first item. `loose` lists key paths (like "value[].start.dateTime" or "*.timeZone") whose value
 * may differ in type, and `optional` key paths that either side may lack. Returns an empty list
 * when the shapes agree.
 */
export function shapeDifferences(actual: unknown, expected: unknown, options: { loose?: string[]; optional?: string[] } = {}, path = ''): string[] {
  const loose = options.loose ?? [];
  const optional = options.optional ?? [];
  const matches = (list: string[], p: string) => list.some((entry) => entry === p || (entry.startsWith('*.') && p.endsWith(entry.slice(1))) || entry === `*.${p}`);
  if (matches(loose, path)) return [];
  const ta = jsonType(actual);
  const te = jsonType(expected);
  if (ta !== te) return [`${path || '(root)'}: ${ta} where the fixture has ${te}`];
  if (te === 'array') {
    const items = expected as unknown[];
    if (items.length === 0) return [];
    // A list of different things (sparse occurrences, then their master) is compared item by item.
    const pairwise = items.length === (actual as unknown[]).length;
    return (actual as unknown[]).flatMap((item, i) => shapeDifferences(item, pairwise ? items[i] : items[0], options, `${path}[]`));
  }
  if (te !== 'object') return [];
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const out: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(e)])) {
    const p = path ? `${path}.${key}` : key;
    if (!(key in a)) {
      if (!matches(optional, p)) out.push(`${p}: missing from the simulator's answer`);
    } else if (!(key in e)) {
      if (!matches(optional, p)) out.push(`${p}: the simulator adds it, the provider does not send it`);
    } else {
      out.push(...shapeDifferences(a[key], e[key], options, p));
    }
  }
  return out;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
