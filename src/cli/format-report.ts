import type { Report } from '../lifecycle/reporting/build-report.js';
import type { ReportFigures } from '../domain/report-figures.js';
import { localTimeFormatter } from './format-meeting.js';
import { widthFor } from './narrow-width.js';

const SPARKS = '▁▂▃▄▅▆▇█';
const HEADERS = ['SALESPERSON', 'MEETINGS', 'PLANS', 'ROLE-PLAYS', 'SCORE', 'TREND', 'DISCOVERY', 'OBJECTIONS', 'NEXT STEP', 'OUTCOMES', 'MISSING', 'HOURS TO OUTCOME'];
/** Left-aligned columns; the others are numbers, right-aligned. */
const LEFT = new Set([0, 5]);

/**
 * The report as text: a heading, one row per salesperson and a team row, then the missing
 * outcomes. Aligned in terminal cells: wide characters and emoji in names keep the columns
 * straight (string-width, loaded only when a cell has a character that may not take one cell).
 */
export async function formatReport(report: Report): Promise<string> {
  const time = report.period.timeZone === 'UTC' ? utcTime : localTimeFormatter(report.period.timeZone);
  const lines = [heading(report, time), ''];
  if (report.team.salespeople === 0) {
    lines.push('No salespeople are registered yet: add them with `rolplay user add`.');
    return lines.join('\n');
  }
  const shown: ReportFigures[] = report.users;
  if (shown.every((u) => u.meetings === 0 && u.roleplays === 0 && u.outcomesLogged === 0 && u.missingOutcomes.length === 0)) {
    lines.push('Nothing in this period: no meetings, role-plays or outcomes logged.', '');
  }
  const rows = report.users.map((u) => row(u.name, u));
  rows.push(row(`Team (${report.team.salespeople})`, report.team));
  const missing = report.users.flatMap((u) => u.missingOutcomes);
  const name = new Map(report.users.map((u) => [u.email, u.name]));
  const missingRows = missing.map((m) => [
    String(m.meetingId), name.get(m.email) ?? m.email, time(Date.parse(m.startAt)), m.title.replace(/\s+/g, ' ').trim(), m.waitingFor === 'hubspot' ? 'HubSpot (answered)' : 'the salesperson',
  ]);
  const width = await widthFor([...rows.flat(), ...missingRows.flat()]);
  lines.push(table(HEADERS, rows, rows.length - 1, width));
  lines.push(
    '',
    `(+n): change against ${range(report.period.previous.from, report.period.previous.to, time)}.`,
    `TREND: average score per ${report.period.trendDays === 1 ? 'day' : `${report.period.trendDays} days`}, oldest first (· no role-play). HOURS TO OUTCOME: median from meeting end to the note in HubSpot.`,
  );
  if (missing.length > 0) {
    lines.push('', 'Missing outcomes (meetings over for more than a day with nothing logged to HubSpot):');
    lines.push(table(['ID', 'SALESPERSON', 'START', 'TITLE', 'WAITING FOR'], missingRows, -1, width, new Set([1, 2, 3, 4])));
  }
  return lines.join('\n');
}

function heading(report: Report, time: (at: number) => string): string {
  const days = report.period.days;
  return `rolplay report: ${range(report.period.from, report.period.to, time)} (${days} day${days === 1 ? '' : 's'}, ${report.period.timeZone})`;
}

/** "2026-11-23 to 2026-11-29" for whole days (the end excluded), else "2026-11-23 09:00 to 2026-11-24 18:00". */
function range(fromIso: string, toIso: string, time: (at: number) => string): string {
  const from = time(Date.parse(fromIso));
  const to = time(Date.parse(toIso));
  if (from.endsWith('00:00') && to.endsWith('00:00')) return `${from.slice(0, 10)} to ${time(Date.parse(toIso) - 1).slice(0, 10)}`;
  return `${from} to ${to}`;
}

function row(name: string, f: ReportFigures): string[] {
  return [
    name,
    withChange(String(f.meetings), f.change.meetings),
    withChange(String(f.plansSent), f.change.plansSent),
    withChange(String(f.roleplays), f.change.roleplays),
    mark(f.averageScore, f.change.averageScore),
    sparkline(f.scoreTrend),
    mark(f.rubric.discovery, f.change.rubric.discovery),
    mark(f.rubric.objectionHandling, f.change.rubric.objectionHandling),
    mark(f.rubric.nextStep, f.change.rubric.nextStep),
    withChange(String(f.outcomesLogged), f.change.outcomesLogged),
    String(f.missingOutcomes.length),
    f.medianHoursToOutcome === null ? '-' : withChange(f.medianHoursToOutcome.toFixed(1), f.change.medianHoursToOutcome, 1),
  ];
}

/** One bar per slice, ▁ for 1 up to █ for 10; · for a slice without role-plays. */
export function sparkline(series: Array<number | null>): string {
  return series.map((v) => (v === null ? '·' : SPARKS[Math.min(7, Math.max(0, Math.round(((v - 1) / 9) * 7)))])).join('');
}

function mark(value: number | null, change: number | null): string {
  return value === null ? '-' : withChange(value.toFixed(1), change, 1);
}

function withChange(text: string, change: number | null, digits = 0): string {
  if (change === null) return text;
  const rounded = Number(change.toFixed(digits));
  return `${text} (${rounded > 0 ? '+' : rounded < 0 ? '-' : '±'}${Math.abs(rounded).toFixed(digits)})`;
}

const utcTime = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

/** Aligned by `cellWidth`; a rule of dashes before row `ruleBefore`. */
function table(headers: string[], rows: string[][], ruleBefore: number, cellWidth: (text: string) => number, left: Set<number> = LEFT): string {
  const widths = headers.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => {
    const pad = ' '.repeat(widths[i]! - cellWidth(c));
    return left.has(i) ? (i === cells.length - 1 ? c : c + pad) : pad + c;
  }).join('  ').trimEnd();
  const out = [line(headers)];
  rows.forEach((r, i) => {
    if (i === ruleBefore) out.push('-'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1)));
    out.push(line(r));
  });
  return out.join('\n');
}
