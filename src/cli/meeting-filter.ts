import { UsageError } from '../support/errors.js';
import { MEETING_STATUSES, type MeetingStatus } from '../store/database.js';
import type { MeetingFilter } from '../lifecycle/reading/list-meetings.js';

export interface MeetingFilterOptions {
  status?: string;
  user?: string;
  from?: string;
  to?: string;
  limit?: string;
  unmatched?: boolean;
}

/**
 * Turns `meetings list` options into a store filter, or a UsageError naming the option and
 * what it accepts. Dates are in the operator's local time zone; `--to` with a date alone
 * includes that whole day.
 */
export function parseMeetingFilter(opts: MeetingFilterOptions, now: number = Date.now()): MeetingFilter {
  const filter: MeetingFilter = {};
  if (opts.status !== undefined) filter.status = parseStatuses(opts.status);
  if (opts.user !== undefined) {
    const user = opts.user.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(user)) throw new UsageError(`--user: "${opts.user}" is not an email address: expected a salesperson's email, e.g. --user sara@company.com`);
    filter.userEmail = user;
  }
  if (opts.from !== undefined) filter.from = parseWhen('--from', opts.from, 'start', now);
  if (opts.to !== undefined) filter.to = parseWhen('--to', opts.to, 'end', now);
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) {
    throw new UsageError(`--from (${opts.from}) is not before --to (${opts.to})`);
  }
  if (opts.limit !== undefined) {
    if (!/^\d+$/.test(opts.limit.trim()) || Number(opts.limit) < 1 || Number(opts.limit) > 1_000_000) {
      throw new UsageError(`--limit: "${opts.limit}" is not a whole number between 1 and 1000000`);
    }
    filter.limit = Number(opts.limit);
  }
  if (opts.unmatched) filter.unmatched = true;
  return filter;
}

export function parseStatuses(value: string): MeetingStatus[] {
  const wanted = value.split(',').map((s) => s.trim().toLowerCase().replace(/-/g, '_')).filter(Boolean);
  if (wanted.length === 0) throw new UsageError(`--status is empty: expected one or more of ${MEETING_STATUSES.join(', ')}`);
  for (const s of wanted) {
    if (!(MEETING_STATUSES as readonly string[]).includes(s)) {
      throw new UsageError(`--status: "${s}" is not a meeting status: expected one or more of ${MEETING_STATUSES.join(', ')} (comma-separated)`);
    }
  }
  return wanted as MeetingStatus[];
}

/** YYYY-MM-DD, YYYY-MM-DD HH:MM, an ISO 8601 time, "today", "tomorrow", "yesterday". */
export function parseWhen(option: string, value: string, edge: 'start' | 'end', now: number): number {
  const v = value.trim().toLowerCase();
  const relative: Record<string, number> = { yesterday: -1, today: 0, tomorrow: 1 };
  if (v in relative) {
    const d = new Date(now);
    d.setHours(0, 0, 0, 0);
    d.setDate(d.getDate() + relative[v]! + (edge === 'end' ? 1 : 0));
    return d.getTime();
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const date = new Date(y, m - 1, d + (edge === 'end' ? 1 : 0));
    if (date.getFullYear() === y && (m >= 1 && m <= 12) && d >= 1 && d <= 31 && new Date(y, m - 1, d).getDate() === d) return date.getTime();
  } else if (/^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})?$/.test(v)) {
    const t = Date.parse(v.replace(' ', 'T').toUpperCase());
    if (!Number.isNaN(t)) return t;
  }
  throw new UsageError(`${option}: "${value}" is not a date: expected YYYY-MM-DD, "YYYY-MM-DD HH:MM" (local time), an ISO 8601 time, today, tomorrow or yesterday`);
}
