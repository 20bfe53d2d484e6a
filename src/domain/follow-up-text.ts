import { CRM_BODY_BUDGET, fitBody, textField, type BodyPart } from './fit-body.js';
import type { Outcome } from './outcome.js';
import { CATALOGUES, type Messages } from './messages/index.js';
import { calendarDay, dayAndTime, listOf } from './messages/intl-text.js';
import { safeZone } from './safe-zone.js';

/**
 * The words of the follow-up: reminder, nudge, the CRM note and the confirmation. No I/O.
 * The salesperson's texts come from their catalogue (English when none is given); the HubSpot
 * note keeps English labels: the CRM is shared by the whole team, whatever each one speaks.
 */
export interface ClientLike {
  name: string | null;
  email: string | null;
  company: string | null;
}

export const REPLY_HINT = 'Reply with the outcome and next steps, or just Done.';

/** "Ann Lee", "Ann Lee and Bob Roe", "Ann, Bob and 2 others", "your client" (in `m`'s language). */
export function clientLabel(clients: ClientLike[], m: Messages = CATALOGUES.en): string {
  const names = clients.map((c) => c.name?.trim() || c.company?.trim() || c.email?.trim() || '').filter((n) => n !== '');
  const unique = [...new Set(names)];
  if (unique.length === 0) return m.general.yourClient;
  if (unique.length <= 2) return listOf(m.locale, unique);
  return listOf(m.locale, [unique[0]!, unique[1]!, m.followUp.others({ count: unique.length - 2 })]);
}

export function reminderText(title: string, client: string, m: Messages = CATALOGUES.en): string {
  return m.followUp.reminder({ title, client });
}

/** For a reminder sent long after its time (the daemon was down): says when, owns the delay. */
export function lateReminderText(title: string, client: string, endAt: number, timeZone: string, m: Messages = CATALOGUES.en): string {
  return m.followUp.lateReminder({ title, client, ended: dayAndTime(m.locale, endAt, timeZone) });
}

export function nudgeText(title: string, client: string, m: Messages = CATALOGUES.en): string {
  return m.followUp.nudge({ title, client });
}

/** "Mon 5 Jan, 15:00" in the salesperson's time zone. */
export function formatWhen(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: safeZone(timeZone) })
    .formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')}, ${get('hour')}:${get('minute')}`;
}

export function formatDay(ymd: string): string {
  const ms = Date.parse(`${ymd}T12:00:00Z`);
  if (Number.isNaN(ms)) return ymd;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(ms));
}

export interface NoteInput {
  meetingId: number;
  title: string;
  startAt: number;
  endAt: number;
  timeZone: string;
  outcome: Outcome;
  planSummary: string | null;
  salesperson: string;
}

/** The marker embedded in every note, so a retry can find a note an unanswered call created. */
export function noteMarker(meetingId: number): string {
  return `[rolplay:meeting:${meetingId}]`;
}

export function taskMarker(meetingId: number, stepIndex: number): string {
  return `[rolplay:meeting:${meetingId}:step:${stepIndex}]`;
}

/**
 * HubSpot renders note bodies as HTML: escaped text in simple paragraphs and a list. The body
 * always fits HubSpot's limit with the marker in its last line: a long reply (a voice-note
 * transcript), summary or title is shortened in its middle instead (see fit-body.ts).
 */
export function noteBody(input: NoteInput): string {
  const { outcome } = input;
  const t = textField;
  const parts: BodyPart[] = [
    '<p><strong>', t(input.title), '</strong></p>\n',
    `<p><strong>When:</strong> ${esc(formatWhen(input.startAt, input.timeZone))} to ${esc(formatWhen(input.endAt, input.timeZone).split(', ')[1] ?? '')} (${esc(safeZone(input.timeZone))})</p>\n`,
    '<p><strong>Outcome:</strong> ', t(outcome.result), '</p>\n',
  ];
  if (outcome.nextSteps.length > 0) {
    parts.push('<p><strong>Next steps:</strong></p>\n<ul>');
    for (const s of outcome.nextSteps) parts.push('<li>', t(s.action), s.due ? ` (by ${esc(formatDay(s.due))})</li>` : '</li>');
    parts.push('</ul>\n');
  } else if (outcome.source !== 'done') {
    parts.push('<p><strong>Next steps:</strong> none given</p>\n');
  }
  if (outcome.sentiment !== 'unknown') parts.push(`<p><strong>Sentiment:</strong> ${outcome.sentiment}</p>\n`);
  if (input.planSummary) parts.push('<p><strong>Plan summary:</strong> ', t(input.planSummary), '</p>\n');
  if (outcome.voice) parts.push('<p><strong>From ', t(input.salesperson), '\'s voice note (transcript):</strong> &quot;', t(outcome.reply), '&quot;</p>\n');
  else if (outcome.source === 'model') parts.push('<p><strong>In ', t(input.salesperson), '\'s words:</strong> ', t(outcome.reply), '</p>\n');
  parts.push('<p>Logged by rolplay for ', t(input.salesperson), ` ${noteMarker(input.meetingId)}</p>`);
  return fitBody(parts, CRM_BODY_BUDGET, esc);
}

export interface TaskBodyInput {
  meetingId: number;
  stepIndex: number;
  action: string;
  title: string;
  client: string;
}

/** hs_task_body, HTML like a note's, within the same limit and with its marker last. */
export function taskBody(input: TaskBodyInput): string {
  return fitBody([
    '<p>', textField(input.action), '</p>\n<p>From ', textField(input.title), ' with ', textField(input.client),
    `. ${taskMarker(input.meetingId, input.stepIndex)}</p>`,
  ], CRM_BODY_BUDGET, esc);
}

export interface ConfirmationInput {
  title: string;
  outcome: Outcome;
  /** Who the note went to, e.g. "Ann Lee (Acme)"; empty when nothing was logged. */
  loggedFor: string[];
  tasks: number;
  /** Why nothing (or not everything) went to HubSpot, in words for the salesperson. */
  problem?: string;
  /** The next question to ask (a queued late reminder), appended. */
  next?: string;
}

export function confirmationText(input: ConfirmationInput, m: Messages = CATALOGUES.en): string {
  const { outcome } = input;
  const f = m.followUp;
  const summary = outcome.source === 'done' ? f.markedDone : `"${truncate(outcome.result, 300)}"`;
  const steps = outcome.nextSteps.length > 0
    ? f.nextSteps({ steps: outcome.nextSteps.map((s) => (s.due ? f.dueBy({ action: s.action, day: calendarDay(m.locale, s.due) }) : s.action)).join('; ') })
    : '';
  let text: string;
  if (input.loggedFor.length > 0) {
    text = `${f.logged({ title: input.title, people: input.loggedFor.join(', '), tasks: input.tasks, summary })}${steps}`;
    if (input.problem) text += f.note({ problem: input.problem });
  } else {
    text = `${f.saved({ title: input.title, summary })}${steps} ${input.problem ?? ''}`.trim();
  }
  return input.next ? `${text}\n\n${input.next}` : text;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Apostrophes too: a body sent fully escaped leaves HubSpot's sanitizer nothing to lengthen. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
