import { stripHtml } from '../domain/meeting-brief.js';
import type { InviteResult, NoteView, SayResult, SentMessage } from '../sandbox-world/sandbox-actions.js';

/** What `rolplay sandbox` and its sub-commands print: the outside world as a person would see it. */

/** Local wall-clock time, HH:MM:SS (the terminal's time zone). */
export const clockOf = (iso: string | number): string => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });

const indent = (text: string): string[] => text.split('\n').map((l) => (l.trim() === '' ? '' : `    ${l}`));

const person = (name: string | null, phone: string) => (name ? `${name} (${phone})` : phone);

export function inviteLines(r: InviteResult, pollSeconds?: number): string[] {
  const minutes = Math.round((Date.parse(r.end) - Date.parse(r.start)) / 60_000);
  const day = new Date(r.start).toDateString() === new Date().toDateString() ? '' : ` on ${new Date(r.start).toDateString()}`;
  return [
    `Invited the bot to "${r.subject}" at ${clockOf(r.start).slice(0, 5)}${day} for ${minutes || '<1'} min: organizer ${r.organizer}, client ${r.clients.join(', ')}.`,
    `rolplay sees it at its next calendar poll${pollSeconds ? ` (every ${pollSeconds} s)` : ''}; the plan shows up here when it is sent.`,
  ];
}

export function sayLines(r: SayResult, text: string): string[] {
  return [`${person(r.name, r.from)} -> rolplay: ${text}`, `  (signed like Twilio and acknowledged by rolplay, ${r.messageSid}; the answer shows up in \`sent\`)`];
}

/** One message rolplay sent, as it appears in the sandbox terminal's live feed and in `sent`. */
export function sentLines(m: SentMessage, withStatus = true): string[] {
  const failed = m.errorCode !== null ? ` (error ${m.errorCode})` : '';
  const status = withStatus || failed ? ` [${m.status}${failed}]` : '';
  const head = `[${clockOf(m.at)}] rolplay -> ${person(m.name, m.to)}${status}${m.contentSid ? ` template ${m.contentSid}` : ''}:`;
  return [head, ...indent(m.body || '(template: no text)')];
}

export function noteLines(n: NoteView): string[] {
  const on = n.contacts.length > 0 ? n.contacts.map((c) => `${c.name || c.email} <${c.email}>`).join(', ') : 'no contact';
  const text = stripHtml(n.body).replace(/&quot;/g, '"').replace(/&#0?39;/g, "'").replace(/&amp;/g, '&');
  return [`HubSpot note ${n.id} [${clockOf(n.at)}] on ${on}:`, ...indent(text)];
}

export function listLines<T>(items: T[], lines: (item: T) => string[], none: string): string[] {
  if (items.length === 0) return [none];
  return items.flatMap((item) => [...lines(item), '']).slice(0, -1);
}
