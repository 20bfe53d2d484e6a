import { parseGraphDateTime } from './graph-time.js';

/**
 * A calendar event as rolplay needs it, read defensively from a Graph event resource: every
 * field may be missing (a delta update can carry only some), odd (unknown time zone, no
 * organizer) or huge (bodies), and none of that may throw.
 */
export type AttendeeType = 'required' | 'optional' | 'resource';
export type EventType = 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';

export interface CalendarAttendee {
  /** Lower-cased address; attendees without one are dropped. */
  email: string;
  name: string | null;
  type: AttendeeType;
  /** none | organizer | tentativelyAccepted | accepted | declined | notResponded, or null. */
  response: string | null;
}

export interface CalendarEvent {
  id: string;
  iCalUId: string | null;
  changeKey: string | null;
  subject: string;
  bodyPreview: string | null;
  location: string | null;
  joinUrl: string | null;
  startAt: number;
  endAt: number;
  /** Lower-cased organizer address, or null when Graph gave none. */
  organizerEmail: string | null;
  organizerName: string | null;
  attendees: CalendarAttendee[];
  isCancelled: boolean;
  isAllDay: boolean;
  type: EventType | null;
  seriesMasterId: string | null;
  /** The mailbox owner's (the bot's) own answer: responseStatus.response. */
  ownResponse: string | null;
  /**
   * An occurrence as calendarView/delta really lists it: id, type, seriesMasterId, start and end
   * only (microsoftgraph/microsoft-graph-docs#1716, #7632, #22197). Its title, organizer,
   * attendees and body are its series master's: see domain/recurring-series.ts.
   */
  sparse: boolean;
}

/** One entry of a delta page. */
export type CalendarChange =
  | { kind: 'upsert'; event: CalendarEvent }
  | { kind: 'removed'; id: string; reason: string }
  | { kind: 'invalid'; id: string | null; reason: string };

export const MAX_SUBJECT = 500;
export const MAX_PREVIEW = 2000;
const MAX_FIELD = 1000;

export function parseGraphEvent(raw: unknown): CalendarChange {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { kind: 'invalid', id: null, reason: 'not an object' };
  const r = raw as Record<string, unknown>;
  const id = str(r.id);
  if (!id) return { kind: 'invalid', id: null, reason: 'no id' };
  if (r['@removed'] !== undefined) {
    const reason = str((r['@removed'] as { reason?: unknown } | null)?.reason) ?? 'deleted';
    return { kind: 'removed', id, reason };
  }
  const start = parseGraphDateTime(r.start);
  if (!start.ok) return { kind: 'invalid', id, reason: `start: ${start.reason}` };
  const end = parseGraphDateTime(r.end);
  if (!end.ok) return { kind: 'invalid', id, reason: `end: ${end.reason}` };
  if (end.at < start.at) return { kind: 'invalid', id, reason: 'ends before it starts' };

  const organizer = emailAddressOf(r.organizer);
  const type = str(r.type);
  // Recognised by what it lacks: a member of a series (not an exception or the master itself)
  // with neither organizer nor attendees; a full occurrence (the reference page's shape) has both.
  const sparse = str(r.seriesMasterId) !== null && type !== 'exception' && type !== 'seriesMaster' && r.organizer == null && r.attendees == null;
  return {
    kind: 'upsert',
    event: {
      id,
      iCalUId: clip(str(r.iCalUId), MAX_FIELD),
      changeKey: clip(str(r.changeKey) ?? etagKey(r['@odata.etag']), MAX_FIELD),
      subject: clip(oneLine(str(r.subject) ?? ''), MAX_SUBJECT) || '(no subject)',
      bodyPreview: previewOf(r),
      location: clip(oneLine(str((r.location as { displayName?: unknown } | null)?.displayName) ?? ''), MAX_FIELD) || null,
      joinUrl: clip(str((r.onlineMeeting as { joinUrl?: unknown } | null)?.joinUrl) ?? str(r.onlineMeetingUrl), MAX_FIELD),
      startAt: start.at,
      endAt: end.at,
      organizerEmail: organizer.email,
      organizerName: organizer.name,
      attendees: attendeesOf(r.attendees),
      isCancelled: r.isCancelled === true,
      isAllDay: r.isAllDay === true,
      type: type === 'singleInstance' || type === 'occurrence' || type === 'exception' || type === 'seriesMaster' ? type : null,
      seriesMasterId: clip(str(r.seriesMasterId), MAX_FIELD),
      ownResponse: str((r.responseStatus as { response?: unknown } | null)?.response),
      sparse,
    },
  };
}

function attendeesOf(value: unknown): CalendarAttendee[] {
  if (!Array.isArray(value)) return [];
  const byEmail = new Map<string, CalendarAttendee>();
  for (const entry of value) {
    if (!entry || typeof entry !== 'object') continue;
    const a = entry as Record<string, unknown>;
    const { email, name } = emailAddressOf(a);
    if (!email || byEmail.has(email)) continue;
    const type = str(a.type)?.toLowerCase();
    byEmail.set(email, {
      email,
      name,
      type: type === 'optional' ? 'optional' : type === 'resource' ? 'resource' : 'required',
      response: str((a.status as { response?: unknown } | null)?.response),
    });
  }
  return [...byEmail.values()];
}

function emailAddressOf(holder: unknown): { email: string | null; name: string | null } {
  const address = (holder as { emailAddress?: unknown } | null)?.emailAddress as { address?: unknown; name?: unknown } | null | undefined;
  const email = str(address?.address)?.trim().toLowerCase() ?? null;
  const name = clip(oneLine(str(address?.name) ?? ''), 200) || null;
  // Graph sometimes gives an Exchange legacy DN ("/o=ExchangeLabs/…") instead of an SMTP address.
  return { email: email && email.includes('@') && email.length <= 320 ? email : null, name };
}

/** bodyPreview (Graph caps it at 255), else the body's text without markup, trimmed. */
function previewOf(r: Record<string, unknown>): string | null {
  const preview = str(r.bodyPreview);
  if (preview && preview.trim() !== '') return clip(preview.trim(), MAX_PREVIEW);
  const body = r.body as { content?: unknown; contentType?: unknown } | null | undefined;
  const content = str(body?.content);
  if (!content) return null;
  // Only the head of a huge body is looked at: stripping markup from megabytes is wasted work.
  const head = content.slice(0, MAX_PREVIEW * 8);
  const text = String(body?.contentType).toLowerCase() === 'html' || /<[a-z][^>]*>/i.test(head) ? htmlToText(head) : head;
  return clip(text.replace(/\s+/g, ' ').trim(), MAX_PREVIEW) || null;
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

/** A sparse occurrence has no changeKey, but its weak ETag (W/"…") carries the same value. */
function etagKey(value: unknown): string | null {
  const m = typeof value === 'string' ? /^W\/"(.*)"$/.exec(value) : null;
  return m?.[1] ?? null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}

function clip(value: string | null, max: number): string | null {
  if (value === null) return null;
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
