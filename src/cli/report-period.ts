import { UsageError } from '../support/errors.js';
import { offsetAt, wallClockToUtc } from '../domain/zone-offset.js';

const DAY = 86_400_000;
const DEFAULT_DAYS = 7;

/**
 * The report's period [from, to) from --from and --to, read in the company time zone: a day
 * (YYYY-MM-DD) is that day's midnight there, and --to includes its day; an ISO 8601 time is
 * that instant (a wall time when it has no Z or offset). Without dates: the last 7 days, today
 * included. Bad input is a UsageError naming the option.
 */
export function parseReportPeriod(opts: { from?: string; to?: string }, timeZone: string, now: number): { from: number; to: number; previousFrom: number } {
  const from = opts.from === undefined ? undefined : parseDate('--from', opts.from, 'start', timeZone);
  const to = opts.to === undefined ? undefined : parseDate('--to', opts.to, 'end', timeZone);
  const today = localDay(now, timeZone);
  const end = to ?? startOfDay(today.y, today.m, today.d + 1, timeZone);
  const start = from ?? (to === undefined ? startOfDay(today.y, today.m, today.d + 1 - DEFAULT_DAYS, timeZone) : end - DEFAULT_DAYS * DAY);
  if (start >= end) {
    const toText = opts.to === undefined ? 'the end of today (the default --to)' : `--to (${opts.to})`;
    throw new UsageError(`--from (${opts.from}) is not before ${toText}`);
  }
  return { from: start, to: end, previousFrom: previousStart(start, end, timeZone) };
}

/**
 * The start of the previous period of the same length: as many calendar days earlier when the
 * period is whole days in the zone (so a week across a daylight-saving change compares with the
 * week before, midnight to midnight), else the same number of milliseconds.
 */
function previousStart(from: number, to: number, timeZone: string): number {
  const days = Math.round((to - from) / DAY);
  const a = localDay(from, timeZone);
  const b = localDay(to, timeZone);
  if (days >= 1 && startOfDay(a.y, a.m, a.d, timeZone) === from && startOfDay(b.y, b.m, b.d, timeZone) === to) return startOfDay(a.y, a.m, a.d - days, timeZone);
  return from - (to - from);
}

function parseDate(option: string, value: string, edge: 'start' | 'end', timeZone: string): number {
  const v = value.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d) return startOfDay(y, m, d + (edge === 'end' ? 1 : 0), timeZone);
  }
  const time = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(v);
  if (time) {
    const [y, mo, d, h, mi, s] = time.slice(1, 7).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    const valid = new Date(wall).getUTCDate() === d && mo >= 1 && mo <= 12 && h < 24 && mi < 60 && s < 60;
    if (valid && time[7] === undefined) return wallClockToUtc(wall, timeZone);
    const at = Date.parse(v.replace(' ', 'T').toUpperCase());
    if (valid && !Number.isNaN(at)) return at;
  }
  throw new UsageError(`${option}: "${value}" is not a date: expected YYYY-MM-DD (a day in the company time zone, ${timeZone}) or an ISO 8601 time such as 2026-11-20T09:00 or 2026-11-20T09:00Z`);
}

/** The calendar day `at` falls on in `timeZone`. */
export function localDay(at: number, timeZone: string): { y: number; m: number; d: number } {
  const shifted = new Date(at + offsetAt(at, timeZone));
  return { y: shifted.getUTCFullYear(), m: shifted.getUTCMonth() + 1, d: shifted.getUTCDate() };
}

/** Midnight of a calendar day in `timeZone` (days past the month's end roll over). */
export function startOfDay(y: number, m: number, d: number, timeZone: string): number {
  return wallClockToUtc(Date.UTC(y, m - 1, d), timeZone);
}
