import type { ReportFigures } from './report-figures.js';
import { formatMark, RUBRIC_LABELS, RUBRIC_PARTS, type RubricPart } from './practice-focus.js';
import { CATALOGUES, type Messages } from './messages/index.js';
import { mark, shortDay } from './messages/intl-text.js';

/**
 * The weekly digest on WhatsApp: a salesperson's week in a few lines, and the team's for
 * admin.whatsapp. Pure text from `rolplay report` figures; the salesperson's in their language
 * (catalogue), the team's in English (an operator reads it, like the logs). Each text stays far
 * under Twilio's 1,600 characters: lists are capped.
 */
const MAX_MISSING = 5;
const MAX_PEOPLE = 20;
const MAX_TITLE = 60;

export interface DigestPeriod {
  /** [from, to), epoch ms. */
  from: number;
  to: number;
  timeZone: string;
}

/** Nothing happened: no meeting, no role-play, no outcome logged or missing. Such a week gets no digest. */
export function isEmptyWeek(f: Pick<ReportFigures, 'meetings' | 'roleplays' | 'outcomesLogged' | 'missingOutcomes'>): boolean {
  return f.meetings === 0 && f.roleplays === 0 && f.outcomesLogged === 0 && f.missingOutcomes.length === 0;
}

/** The rubric part with the lowest average this week; undefined without role-plays or when all three are level. */
export function partToWorkOn(rubric: ReportFigures['rubric']): { part: RubricPart; average: number } | undefined {
  const parts = RUBRIC_PARTS.flatMap((part) => (rubric[part] === null ? [] : [{ part, average: rubric[part] }]));
  if (parts.length === 0) return undefined;
  const lowest = parts.reduce((a, b) => (b.average < a.average ? b : a));
  return parts.every((p) => p.average === lowest.average) ? undefined : lowest;
}

export function digestText(name: string, f: ReportFigures, period: DigestPeriod, m: Messages = CATALOGUES.en): string {
  const d = m.digest;
  const num = (value: number) => mark(m.locale, value);
  const days = Math.round((period.to - period.from) / 86_400_000);
  const lines = [d.heading({ period: d.period({ days, to: shortDay(m.locale, period.to, period.timeZone) }) })];
  lines.push(d.meetings({ meetings: f.meetings, prepared: f.plansSent }));
  if (f.roleplays === 0) {
    lines.push(d.noRoleplays);
  } else {
    const change = f.change.averageScore;
    const changeText = change === null ? '' : d.change({ direction: change > 0 ? 'up' : change < 0 ? 'down' : 'level', by: num(Math.abs(change)) });
    const marks = f.scoreTrend.filter((v): v is number => v !== null);
    const trend = marks.length < 2 ? '' : d.trend({ marks: marks.map(num).join(' → ') });
    lines.push(d.roleplays({ count: f.roleplays, average: num(f.averageScore!), change: changeText, trend }));
    const focus = partToWorkOn(f.rubric);
    if (focus) lines.push(d.workOn({ part: m.roleplay.rubric[focus.part], average: num(focus.average) }));
  }
  if (f.outcomesLogged > 0) lines.push(d.outcomesLogged({ count: f.outcomesLogged }));
  if (f.missingOutcomes.length > 0) {
    lines.push(d.missingHeading);
    for (const o of f.missingOutcomes.slice(0, MAX_MISSING)) {
      lines.push(d.missingItem({ title: title(o.title), day: shortDay(m.locale, Date.parse(o.startAt), period.timeZone), answered: o.waitingFor === 'hubspot' }));
    }
    if (f.missingOutcomes.length > MAX_MISSING) lines.push(d.more({ count: f.missingOutcomes.length - MAX_MISSING }));
  }
  lines.push('', d.footer({ firstName: firstName(name) }));
  return lines.join('\n');
}

/** {{2}} of twilio.templates.digest: the week in one line (template variables allow no newlines). */
export function digestSummaryLine(f: ReportFigures, m: Messages = CATALOGUES.en): string {
  return m.digest.summaryLine({
    meetings: f.meetings, prepared: f.plansSent, roleplays: f.roleplays,
    average: f.averageScore === null ? '' : mark(m.locale, f.averageScore), missing: f.missingOutcomes.length,
  });
}

export interface TeamDigestPerson {
  name: string;
  figures: ReportFigures;
}

export function teamDigestText(team: ReportFigures, people: TeamDigestPerson[], period: DigestPeriod): string {
  const lines = [`*rolplay: the team's week* (${formatPeriod(period)})`];
  lines.push(`Meetings: ${team.meetings}, ${team.plansSent} prepared. Role-plays: ${team.roleplays}${team.averageScore === null ? '' : `, average ${formatMark(team.averageScore)}/10${changeNote(team.change.averageScore)}`}.`);
  lines.push(`Outcomes logged: ${team.outcomesLogged}; still missing: ${team.missingOutcomes.length}.`);
  const focus = partToWorkOn(team.rubric);
  if (focus) lines.push(`The team's weakest part: *${RUBRIC_LABELS[focus.part]}* (${formatMark(focus.average)}/10).`);
  lines.push('');
  for (const p of people.slice(0, MAX_PEOPLE)) {
    const f = p.figures;
    if (isEmptyWeek(f)) {
      lines.push(`• ${title(p.name)}: nothing this week`);
      continue;
    }
    const score = f.averageScore === null ? '' : ` (${formatMark(f.averageScore)})`;
    lines.push(`• ${title(p.name)}: ${count(f.meetings, 'meeting')}, ${count(f.roleplays, 'role-play')}${score}, ${f.missingOutcomes.length} missing`);
  }
  if (people.length > MAX_PEOPLE) lines.push(`• and ${people.length - MAX_PEOPLE} more: see \`rolplay report\``);
  return lines.join('\n');
}

/**
 * The ISO 8601 week (e.g. "2026-W49") of the calendar date `at` falls on in `timeZone`: the key
 * that makes a digest go out once per week, whichever daemon enqueues it.
 */
export function isoWeek(at: number, timeZone: string): string {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at).split('-').map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d!));
  // The Thursday of this week decides its year (ISO 8601).
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** "the 7 days to Mon 30 Nov" in the company time zone (the period ends at the scheduled time). */
export function formatPeriod(period: DigestPeriod): string {
  const days = Math.round((period.to - period.from) / 86_400_000);
  return `the ${days} days to ${formatDay(period.to, period.timeZone)}`;
}

function formatDay(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(at);
}

function changeNote(change: number | null): string {
  if (change === null || change === 0) return change === 0 ? ', level with the week before' : '';
  return `, ${change > 0 ? 'up' : 'down'} ${formatMark(Math.abs(change))} on the week before`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function title(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_TITLE ? `${one.slice(0, MAX_TITLE - 1)}…` : one;
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}
