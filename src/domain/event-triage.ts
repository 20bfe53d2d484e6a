import type { CalendarAttendee, CalendarEvent } from './calendar-event.js';

/**
 * Which calendar events become meetings, and who the clients are. Pure rules, so the
 * ingest use case and its tests agree on them.
 */
export interface TriageContext {
  /** The bot mailbox, lower-cased. */
  botEmail: string;
  /** Domains (and their subdomains) whose people are colleagues, never clients. */
  internalDomains: string[];
  now: number;
}

export type IgnoreCode = 'series_master' | 'declined' | 'all_day' | 'ended';

/** Why an event is not coached at all, or undefined when it should be tracked. */
export function ignoreReason(event: CalendarEvent, ctx: TriageContext): { code: IgnoreCode; reason: string } | undefined {
  if (event.type === 'seriesMaster') return { code: 'series_master', reason: 'series master (its occurrences are tracked one by one)' };
  if (declinedByBot(event, ctx.botEmail)) return { code: 'declined', reason: 'declined by the bot mailbox' };
  if (event.isAllDay) return { code: 'all_day', reason: 'all-day event' };
  if (event.endAt <= ctx.now) return { code: 'ended', reason: 'already ended' };
  return undefined;
}

export function declinedByBot(event: CalendarEvent, botEmail: string): boolean {
  if (event.ownResponse?.toLowerCase() === 'declined') return true;
  const bot = botEmail.toLowerCase();
  return event.attendees.some((a) => a.email === bot && a.response?.toLowerCase() === 'declined');
}

/**
 * Attendees who are clients: not the bot, not the organizer, not a room or resource, not a
 * colleague. `salespeople` are the registered users among the attendees: colleagues whatever
 * their domain (a partner's or an acquired company's address is not in internalDomains).
 */
export function clientAttendees(event: CalendarEvent, ctx: Pick<TriageContext, 'botEmail' | 'internalDomains'>, salespeople: ReadonlySet<string> = new Set()): CalendarAttendee[] {
  const bot = ctx.botEmail.toLowerCase();
  const domains = ctx.internalDomains.map(normaliseDomain).filter((d) => d !== '');
  return event.attendees.filter((a) =>
    a.type !== 'resource'
    && a.email !== bot
    && a.email !== event.organizerEmail
    && !salespeople.has(a.email)
    && !isInternal(a.email, domains));
}

export function isInternal(email: string, domains: string[]): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

function normaliseDomain(value: string): string {
  return value.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
}
