import { buildReport, type Report } from '../../lifecycle/reporting/build-report.js';
import type { Store } from '../../store/open-store.js';
import { parseReportPeriod } from '../report-period.js';

export interface WeekSummaryRequest {
  /** The company time zone (defaults.timezone): where `rolplay report`'s days begin. */
  timeZone: string;
  /** The list's --user: that salesperson's figures instead of the team's, when registered. */
  userEmail?: string;
  now: number;
}

/**
 * The line at the top of the meetings UI: `rolplay report`'s default period (the last 7 days,
 * today included) in a few figures, for the team or the --user salesperson.
 */
export async function loadWeekSummary(store: Pick<Store, 'users' | 'report'>, request: WeekSummaryRequest): Promise<WeekSummary> {
  const period = parseReportPeriod({}, request.timeZone, request.now);
  // The whole team's report: its users list holds the --user salesperson when registered.
  const report = await buildReport(store, { ...period, timeZone: request.timeZone, now: request.now });
  return { line: weekSummaryLine(report, request.userEmail), short: weekSummaryLine(report, request.userEmail, true) };
}

/** The line, and a shorter one for a narrow terminal. */
export interface WeekSummary {
  line: string;
  short: string;
}

/**
 * "Team, last 7 days: 12 meetings · 9 plans sent · 5 role-plays, avg 6.8 (+0.4) · 3 outcomes missing";
 * `short`: "7 days: 12 meetings · 9 plans · 5 role-plays 6.8 · 3 missing".
 */
export function weekSummaryLine(report: Report, userEmail?: string, short = false): string {
  const wanted = userEmail?.trim().toLowerCase();
  const user = wanted === undefined ? undefined : report.users.find((u) => u.email === wanted);
  const f = user ?? report.team;
  const days = report.period.days === 1 ? 'day' : `${report.period.days} days`;
  const average = f.averageScore === null ? '' : f.averageScore.toFixed(1);
  if (short) {
    return `${days}: ${[count(f.meetings, 'meeting'), count(f.plansSent, 'plan'), `${count(f.roleplays, 'role-play')}${average && ` ${average}`}`, `${f.missingOutcomes.length} missing`].join(' · ')}`;
  }
  const practices = `${count(f.roleplays, 'role-play')}${average && `, avg ${average}${change(f.change.averageScore)}`}`;
  return `${user ? user.name : 'Team'}, last ${days}: ${[
    count(f.meetings, 'meeting'),
    `${count(f.plansSent, 'plan')} sent`,
    practices,
    `${count(f.missingOutcomes.length, 'outcome')} missing`,
  ].join(' · ')}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** " (+0.4)" against the previous period, written as `rolplay report` writes it; nothing when either side had no role-play. */
function change(delta: number | null): string {
  if (delta === null) return '';
  const rounded = Number(delta.toFixed(1));
  return ` (${rounded > 0 ? '+' : rounded < 0 ? '-' : '±'}${Math.abs(rounded).toFixed(1)})`;
}
