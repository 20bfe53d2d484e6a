import type { MeetingDetail } from '../lifecycle/reading/meeting-details.js';
import { clientLabel, type MeetingSummary } from '../lifecycle/reading/list-meetings.js';
import { RUBRIC_LABELS, RUBRIC_PARTS, type RubricPart } from '../domain/practice-focus.js';

/**
 * "2026-01-05 10:30" in the operator's local time zone (TZ), or `timeZone` when given. The local
 * zone is Date's own (the zone Intl defaults to as well): no Intl.DateTimeFormat, whose first
 * use loads ICU's time zone data (about 16 ms of a plain `meetings list`). For another zone,
 * Intl is slow per call, and a list of 10,000 meetings calls it 10,000 times: so the zone's UTC
 * offset is looked up once per day (when it is the same at both ends of that day, it holds all
 * day) and the rest is arithmetic.
 */
export function localTimeFormatter(timeZone?: string): (epochMs: number) => string {
  if (timeZone === undefined) return systemLocalTime;
  const intl = new Intl.DateTimeFormat('sv-SE', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
  const offsetAt = (ms: number) => Date.parse(`${intl.format(new Date(ms)).replace(' ', 'T')}Z`) - Math.floor(ms / 1000) * 1000;
  const days = new Map<number, number | null>();
  return (epochMs) => {
    const day = Math.floor(epochMs / 86_400_000);
    let offset = days.get(day);
    if (offset === undefined) {
      const a = offsetAt(day * 86_400_000);
      offset = a === offsetAt((day + 1) * 86_400_000 - 1000) ? a : null;
      days.set(day, offset);
    }
    if (offset === null || Number.isNaN(offset)) return intl.format(new Date(epochMs)).slice(0, 16);
    return new Date(epochMs + offset).toISOString().slice(0, 16).replace('T', ' ');
  };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function systemLocalTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** "P R N" with a dash for each step not reached: plan written, reminder sent, HubSpot note logged. */
export function markerLabel(markers: MeetingSummary['markers']): string {
  return `${markers.plan ? 'P' : '-'}${markers.reminder ? 'R' : '-'}${markers.note ? 'N' : '-'}`;
}

/** "↻ 3/12": the 3rd of the 12 known meetings of a recurring series; "↻ -/12" for a cancelled one; "" for a single meeting. */
export function seriesLabel(series: MeetingSummary['series']): string {
  if (!series) return '';
  return `↻ ${series.index ?? '-'}/${series.count}`;
}

/** The title with the series mark in front, where a narrow column does not cut it off. */
export function titleLabel(m: Pick<MeetingSummary, 'title' | 'series'>): string {
  return m.series ? `${seriesLabel(m.series)} ${m.title}` : m.title;
}

/** "7/10": the meeting's latest practice score; "" before any practice. */
export function scoreLabel(score: number | null): string {
  return score === null ? '' : `${score}/10`;
}

export function salespersonLabel(m: MeetingSummary): string {
  return m.user ? m.user.name : `${m.organizerEmail} (unmatched)`;
}

// SCORE comes last, so scripts that read the earlier columns by position still find them.
export const TABLE_HEADERS = ['ID', 'START', 'SALESPERSON', 'CLIENTS', 'TITLE', 'STATUS', 'P/R/N', 'SCORE'];

export function tableRow(m: MeetingSummary, time: (epochMs: number) => string = localTimeFormatter()): string[] {
  return [String(m.id), time(m.startAt), salespersonLabel(m), clientLabel(m.clients), titleLabel(m), m.status, markerLabel(m.markers), scoreLabel(m.score)];
}

/** The JSON shape of one meeting in `meetings list --json`: ISO times, stable keys. */
export function summaryJson(m: MeetingSummary) {
  return {
    id: m.id,
    title: m.title,
    status: m.status,
    source: m.source,
    start: new Date(m.startAt).toISOString(),
    end: new Date(m.endAt).toISOString(),
    organizer: m.organizerEmail,
    salesperson: m.user,
    clients: m.clients,
    plan: m.markers.plan,
    reminder: m.markers.reminder,
    hubspotNoteId: m.hubspotNoteId,
    series: m.series,
    score: m.score,
  };
}

export function detailJson(d: MeetingDetail) {
  return {
    ...summaryJson(d),
    eventId: d.eventId,
    location: d.location,
    joinUrl: d.joinUrl,
    body: d.bodyPreview,
    salesperson: d.user,
    clients: d.clientsDetail,
    plan: d.plan,
    outcome: d.outcome,
    lastReply: d.lastReply,
    roleplayScore: d.roleplayScore,
    messages: d.messages.map((m) => ({ ...m, at: new Date(m.at).toISOString() })),
    roleplays: d.roleplays.map((r) => ({ ...r, startedAt: new Date(r.startedAt).toISOString(), scoredAt: new Date(r.scoredAt).toISOString() })),
    jobs: d.jobs.map((j) => ({ ...j, runAt: new Date(j.runAt).toISOString() })),
    createdAt: new Date(d.createdAt).toISOString(),
    updatedAt: new Date(d.updatedAt).toISOString(),
  };
}

/** A stored plan as readable lines, whatever its exact shape (it is model output, checked but versioned). */
export function formatPlan(plan: unknown): string[] {
  if (plan === null || plan === undefined) return ['(no plan yet)'];
  if (typeof plan === 'string') return plan.split('\n');
  if (typeof plan !== 'object' || Array.isArray(plan)) return [JSON.stringify(plan)];
  const lines: string[] = [];
  for (const [key, value] of Object.entries(plan as Record<string, unknown>)) {
    const heading = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
    if (typeof value === 'string' || typeof value === 'number') {
      lines.push(`${capitalise(heading)}: ${value}`);
    } else if (Array.isArray(value)) {
      lines.push(`${capitalise(heading)}:`);
      value.forEach((item, i) => lines.push(`  ${i + 1}. ${flatten(item)}`));
    } else if (value !== null && value !== undefined) {
      lines.push(`${capitalise(heading)}: ${flatten(value)}`);
    }
  }
  return lines;
}

function flatten(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(flatten).join('; ');
  return Object.values(value as Record<string, unknown>).map(flatten).filter(Boolean).join(' -> ');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Sections of the detail view, shared by `meetings show` and the terminal UI. */
export function detailSections(d: MeetingDetail, timeZone?: string): Array<{ title: string; lines: string[] }> {
  const time = localTimeFormatter(timeZone);
  const who = d.user ? `${d.user.name} <${d.user.email}>, WhatsApp ${d.user.phone}` : `${d.organizerEmail} (unmatched: not a registered salesperson; add them with \`rolplay user add\`)`;
  const overview = [
    `ID:          ${d.id}`,
    `Title:       ${d.title}`,
    `When:        ${time(d.startAt)} - ${time(d.endAt).slice(11)}`,
    `Status:      ${d.status}   (plan/reminder/note: ${markerLabel(d.markers)})`,
    `Salesperson: ${who}`,
    `Source:      ${d.source === 'import' ? 'imported' : 'Outlook'} (${d.eventId})`,
  ];
  if (d.series) overview.push(`Series:      ${seriesText(d.series, d.occurrenceKind)}`);
  if (d.location) overview.push(`Location:    ${d.location}`);
  if (d.joinUrl) overview.push(`Join:        ${d.joinUrl}`);
  overview.push(`HubSpot note: ${d.hubspotNoteId ?? '-'}`);
  if (d.roleplayScore !== null) overview.push(`Role-play score: ${scoreLabel(d.roleplayScore)} (latest practice)`);

  const clients = d.clientsDetail.length === 0
    ? ['(none)']
    : d.clientsDetail.map((c) => `${c.name ?? '?'}${c.company ? ` (${c.company})` : ''} <${c.email ?? 'no email'}>  HubSpot contact ${c.hubspotContactId ?? '-'}`);
  const transcript = d.messages.length === 0
    ? ['(no messages yet)']
    : d.messages.flatMap((m) => {
        const head = `${time(m.at)} ${m.direction === 'in' ? '<-' : '->'} ${m.kind}`;
        return [head, ...m.body.split('\n').map((l) => `    ${l}`)];
      });
  const jobs = d.jobs.length === 0
    ? ['(none)']
    : d.jobs.map((j) => `#${j.id} ${j.kind} ${j.status} (attempt ${j.attempts}/${j.maxAttempts}, due ${time(j.runAt)}, key ${j.dedupeKey})${j.lastError ? `  last error: ${j.lastError}` : ''}`);
  const sections = [
    { title: 'Meeting', lines: overview },
    { title: 'Clients', lines: clients },
    { title: 'Plan', lines: formatPlan(d.plan) },
    { title: 'Conversation', lines: transcript },
    { title: 'Role-plays', lines: roleplayLines(d.roleplays, time) },
    { title: 'Jobs', lines: jobs },
  ];
  if (d.outcome !== null) sections.push({ title: 'Outcome', lines: formatPlan(d.outcome) });
  return sections;
}

/** Each practice: when, score and persona, the rubric parts, the coach's summary and tips, then the turns it scored. */
function roleplayLines(roleplays: MeetingDetail['roleplays'], time: (epochMs: number) => string): string[] {
  if (roleplays.length === 0) return ['(no role-play yet: the salesperson sends "roleplay" on WhatsApp to practise this meeting)'];
  return roleplays.flatMap((r, i) => {
    const persona = [r.difficulty, r.focus ? `leaning on ${isRubricPart(r.focus) ? RUBRIC_LABELS[r.focus] : r.focus}` : undefined].filter(Boolean).join(', ');
    const lines = [
      ...(i > 0 ? [''] : []),
      `#${i + 1} scored ${time(r.scoredAt)}: ${scoreLabel(r.score)}${persona ? `  (${persona})` : ''}`,
      `    Discovery ${r.rubric.discovery}/10 · Objection handling ${r.rubric.objectionHandling}/10 · Next step ${r.rubric.nextStep}/10`,
    ];
    if (r.summary) lines.push(`    Summary: ${r.summary}`);
    r.tips.forEach((tip) => lines.push(`    Tip: ${tip}`));
    lines.push(`    Transcript (started ${time(r.startedAt)}):`);
    for (const turn of r.transcript) {
      const [first = '', ...rest] = turn.text.split('\n');
      lines.push(`      ${TURN_LABELS[turn.from] ?? turn.from}: ${first}`, ...rest.map((l) => `        ${l}`));
    }
    return lines;
  });
}

const isRubricPart = (part: string): part is RubricPart => (RUBRIC_PARTS as readonly string[]).includes(part);
/** The bot plays the client in a role-play. */
const TURN_LABELS: Record<string, string> = { salesperson: 'Salesperson', bot: 'Client' };

function seriesText(series: NonNullable<MeetingDetail['series']>, kind: MeetingDetail['occurrenceKind']): string {
  const place = series.index === null ? `cancelled; ${series.count} other meetings known` : `meeting ${series.index} of ${series.count} known`;
  return `${seriesLabel(series)}  (recurring: ${place}${kind === 'exception' ? '; edited on its own' : ''})`;
}

export function formatDetailText(d: MeetingDetail, timeZone?: string): string {
  return detailSections(d, timeZone).map((s) => [`== ${s.title}`, ...s.lines].join('\n')).join('\n\n');
}
