import { findIana } from 'windows-iana';
import { offsetAt, wallClockToUtc } from './zone-offset.js';

export { offsetAt, wallClockToUtc };

/**
 * Graph gives event times as {dateTime: "2026-01-05T10:00:00.0000000", timeZone: "…"}: a wall
 * clock time without offset plus a zone name. The zone is "UTC" when rolplay asks for it
 * (Prefer: outlook.timezone), but an event may still carry a Windows name ("Pacific Standard
 * Time"), an IANA name, "tzone://Microsoft/Utc", or nothing. This turns all of them into UTC
 * epoch milliseconds, or undefined with a reason, never throwing.
 */
export type GraphTimeResult = { ok: true; at: number } | { ok: false; reason: string };

const UTC_NAMES = new Set(['utc', 'etc/utc', 'gmt', 'etc/gmt', 'z', 'tzone://microsoft/utc', 'coordinated universal time']);
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

export function parseGraphDateTime(value: unknown): GraphTimeResult {
  if (!value || typeof value !== 'object') return { ok: false, reason: 'missing time' };
  const { dateTime, timeZone } = value as { dateTime?: unknown; timeZone?: unknown };
  if (typeof dateTime !== 'string' || dateTime.trim() === '') return { ok: false, reason: 'missing dateTime' };
  const text = dateTime.trim();
  if (HAS_OFFSET.test(text)) {
    const at = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
    return Number.isNaN(at) ? { ok: false, reason: `unreadable dateTime "${text.slice(0, 40)}"` } : { ok: true, at };
  }
  const m = WALL_CLOCK.exec(text);
  if (!m) return { ok: false, reason: `unreadable dateTime "${text.slice(0, 40)}"` };
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), millis);
  if (Number.isNaN(wall)) return { ok: false, reason: `unreadable dateTime "${text.slice(0, 40)}"` };
  const zone = ianaZoneOf(timeZone);
  if (zone === undefined) return { ok: false, reason: `unknown time zone "${String(timeZone).slice(0, 60)}"` };
  return { ok: true, at: zone === 'UTC' ? wall : wallClockToUtc(wall, zone) };
}

/** An IANA zone for a Graph zone name; "UTC" for UTC and for a missing zone (Graph's default). */
export function ianaZoneOf(timeZone: unknown): string | undefined {
  if (timeZone === undefined || timeZone === null) return 'UTC';
  if (typeof timeZone !== 'string') return undefined;
  const name = timeZone.trim();
  if (name === '' || UTC_NAMES.has(name.toLowerCase())) return 'UTC';
  const windows = findIana(name as never);
  if (Array.isArray(windows) && windows.length > 0) return windows[0];
  return isIanaZone(name) ? name : undefined;
}

function isIanaZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Renders an instant the way Graph does in `zone`: "2026-01-05T02:00:00.0000000" (for the simulator). */
export function formatGraphDateTime(instant: number, zone = 'UTC'): string {
  const iana = ianaZoneOf(zone) ?? 'UTC';
  const shifted = iana === 'UTC' ? instant : instant + offsetAt(instant, iana);
  return new Date(shifted).toISOString().replace(/\.(\d{3})Z$/, '.$10000');
}
