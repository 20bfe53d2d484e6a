import { addTally, emptyTally, figuresOf, type MissingOutcome, type ReportFigures, type Tally, type TrendSlice } from '../../domain/report-figures.js';
import { NotFoundError } from '../../support/errors.js';
import type { UserRow } from '../../store/database.js';
import type { Store } from '../../store/open-store.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A score trend has at most this many slices: one per day up to two weeks, then longer slices. */
const MAX_TREND_SLICES = 14;

export interface ReportRequest {
  /** The period [from, to), epoch ms. */
  from: number;
  to: number;
  /** Where the previous period starts (default: as long before `from` as the period lasts). */
  previousFrom?: number;
  /** The company time zone the dates were read in (shown, not used for arithmetic). */
  timeZone: string;
  /** Only this salesperson in `users` (the team figures stay the whole team's). */
  userEmail?: string;
  /** "Now", for "over for more than a day". */
  now: number;
}

export interface Report {
  period: {
    from: string;
    to: string;
    timeZone: string;
    days: number;
    /** The previous period of the same length, which `change` compares with. */
    previous: { from: string; to: string };
    /** Length of each scoreTrend slice, in days. */
    trendDays: number;
    generatedAt: string;
  };
  team: ReportFigures & { salespeople: number };
  users: Array<ReportFigures & { email: string; name: string }>;
}

/**
 * `rolplay report`: per registered salesperson and for the team, over a period and against the
 * previous period of the same length. Four queries (meetings, role-plays, outcomes, missing
 * outcomes), each grouped by salesperson, plus the list of salespeople; every salesperson is
 * listed, with zeros and null averages when idle.
 */
export async function buildReport(store: Pick<Store, 'users' | 'report'>, request: ReportRequest): Promise<Report> {
  const users = await store.users.list();
  const wanted = request.userEmail?.toLowerCase();
  if (wanted !== undefined && !users.some((u) => u.email === wanted)) {
    throw new NotFoundError(`--user: no salesperson is registered as ${wanted} (see \`rolplay user list\`)`);
  }
  const length = request.to - request.from;
  const window = { previousFrom: request.previousFrom ?? request.from - length, from: request.from, to: request.to };
  const trendDays = Math.max(1, Math.ceil(length / DAY / MAX_TREND_SLICES));
  const slices = Math.max(1, Math.ceil(length / (trendDays * DAY)));

  const byUser = new Map<number, { current: Tally; previous: Tally; trend: TrendSlice[]; missing: MissingOutcome[] }>();
  const of = (userId: number) => {
    let entry = byUser.get(userId);
    if (!entry) byUser.set(userId, (entry = { current: emptyTally(), previous: emptyTally(), trend: Array.from({ length: slices }, () => ({ roleplays: 0, score: 0 })), missing: [] }));
    return entry;
  };
  for (const u of users) of(u.id);
  const emailOf = new Map(users.map((u) => [u.id, u.email]));

  const [meetings, roleplays, outcomes, missing] = await Promise.all([
    store.report.meetingFigures(window),
    store.report.roleplayFigures(window, trendDays * DAY),
    store.report.outcomes(window),
    store.report.missingOutcomes(window, request.now - DAY),
  ]);
  for (const r of meetings) {
    const e = of(r.user_id);
    e.current.meetings += r.meetings;
    e.current.plansSent += r.plans_sent;
    e.previous.meetings += r.previous_meetings;
    e.previous.plansSent += r.previous_plans_sent;
  }
  for (const r of roleplays) {
    const e = of(r.user_id);
    const t = r.bucket < 0 ? e.previous : e.current;
    t.roleplays += r.roleplays;
    t.score += r.score;
    t.discovery += r.discovery;
    t.objectionHandling += r.objection_handling;
    t.nextStep += r.next_step;
    const slice = r.bucket >= 0 ? e.trend[Math.min(r.bucket, slices - 1)] : undefined;
    if (slice) {
      slice.roleplays += r.roleplays;
      slice.score += r.score;
    }
  }
  for (const r of outcomes) {
    const e = of(r.user_id);
    (r.completed_at >= request.from ? e.current : e.previous).hoursToOutcome.push(Math.max(0, r.completed_at - r.end_at) / HOUR);
  }
  // The team is the registered salespeople: rows of anyone else (removed since) are left out.
  const team = { current: emptyTally(), previous: emptyTally(), trend: Array.from({ length: slices }, () => ({ roleplays: 0, score: 0 })), missing: [] as MissingOutcome[] };
  for (const r of missing) {
    const email = emailOf.get(r.user_id);
    if (email === undefined) continue;
    const entry: MissingOutcome = {
      meetingId: r.id, title: r.title, email, startAt: iso(r.start_at), endAt: iso(r.end_at),
      status: r.status, waitingFor: r.replied ? 'hubspot' : 'salesperson',
    };
    of(r.user_id).missing.push(entry);
    team.missing.push(entry);
  }
  for (const u of users) {
    const e = of(u.id);
    addTally(team.current, e.current);
    addTally(team.previous, e.previous);
    e.trend.forEach((s, i) => {
      team.trend[i]!.roleplays += s.roleplays;
      team.trend[i]!.score += s.score;
    });
  }

  const listed: UserRow[] = wanted === undefined ? users : users.filter((u) => u.email === wanted);
  return {
    period: {
      from: iso(request.from), to: iso(request.to), timeZone: request.timeZone, days: daysOf(length),
      previous: { from: iso(window.previousFrom), to: iso(request.from) }, trendDays, generatedAt: iso(request.now),
    },
    team: { salespeople: users.length, ...figuresOf(team.current, team.previous, team.trend, team.missing) },
    users: listed.map((u) => {
      const e = of(u.id);
      return { email: u.email, name: u.name, ...figuresOf(e.current, e.previous, e.trend, e.missing) };
    }),
  };
}

/** Whole days when within an hour of one (a week across a daylight-saving change is 7 days), else two decimals. */
function daysOf(length: number): number {
  const days = length / DAY;
  return Math.abs(days - Math.round(days)) <= 1 / 24 + 1e-9 ? Math.round(days) : Math.round(days * 100) / 100;
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
