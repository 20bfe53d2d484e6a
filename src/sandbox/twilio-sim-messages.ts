import { randomBytes } from 'node:crypto';
import type { FetchedMedia } from './twilio-sim-outbound-media.js';

/**
 * Twilio's Message resource as the simulator keeps it, and its public JSON shape
 * (snake_case, RFC 2822 dates, counts as strings, null for what is unknown).
 */
export interface SimMessage {
  sid: string;
  accountSid: string;
  to: string;
  /** null when only a MessagingServiceSid was given and no sender is picked yet. */
  from: string | null;
  body: string;
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  statusCallback: string | null;
  /** The Messaging Service it was sent through (MG...), or null. */
  messagingServiceSid: string | null;
  status: 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read' | 'received';
  errorCode: number | null;
  errorMessage: string | null;
  numMedia: number;
  dateCreated: number;
  dateSent: number | null;
  dateUpdated: number;
  /** Set when this message will fail once settled (63016 outside the window, 63019 media not fetched...). */
  failWith?: { code: number; message: string };
  /** The MediaUrl parameters it was created with (twilio-sim-outbound-media.ts). */
  mediaUrls?: string[];
  /** What the simulator fetched from them, as Twilio would. */
  media?: FetchedMedia[];
}

export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** "Thu, 24 Aug 2023 05:01:45 +0000", the date format of Twilio's 2010 API. */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

/** WhatsApp messages are one segment; SMS splits at 160 GSM-7 / 70 UCS-2 chars (153 / 67 when concatenated). */
export function numSegments(to: string, body: string): number {
  if (to.startsWith('whatsapp:') || body.length === 0) return 1;
  const gsm = /^[\x20-\x7E\n\r]*$/.test(body);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  const length = [...body].length;
  return length <= single ? 1 : Math.ceil(length / multi);
}

export function messageUri(m: SimMessage): string {
  return `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
}

/**
 * The Message JSON. The create answer follows the documented create example (subresource_uris
 * with media only, price_unit null); list items and fetches follow the list example.
 * https://www.twilio.com/docs/messaging/api/message-resource (twilio/twilio-oai
 * spec/json/twilio_api_v2010.json, examples "create" and "readFullPage1").
 */
export function messageJson(m: SimMessage, as: 'create' | 'read' = 'read'): Record<string, unknown> {
  const media = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json`;
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: m.dateSent === null ? null : rfc2822(m.dateSent),
    date_updated: rfc2822(m.dateUpdated),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: m.errorMessage,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: String(m.numMedia),
    // "For messages sent via a Messaging Service, num_segments is initially 0, since a sender
    // hasn't yet been assigned" (Message resource, num_segments).
    num_segments: m.messagingServiceSid && m.dateSent === null ? '0' : String(numSegments(m.to, m.body)),
    price: null,
    price_unit: as === 'create' ? null : 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: as === 'create' ? { media } : { media, feedback: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Feedback.json` },
    to: m.to,
    uri: messageUri(m),
  };
}

/** Where a message with no DateSent yet (queued, accepted) sits in the list. */
export type UnsentPosition = 'first' | 'last';

/**
 * GET .../Messages.json as Twilio documents it: "Results are sorted by the DateSent field, with
 * the most recent messages appearing first" (Message resource, "Read multiple Message
 * resources"); To and From exact; DateSent / DateSent< / DateSent> inclusive, a bare
 * YYYY-MM-DD meaning the whole GMT day (other date formats are accepted too: twilio/twilio-oai#21).
 *
 * Not verifiable from the docs, so configurable and built for both: where messages with no
 * DateSent sit (default 'last', as issue 11 reports and as NULLs sort in a descending MySQL
 * order), and a DateSent filter never matching them (a filter on sent_date cannot match a
 * message not sent).
 *
 * Paging: PageSize (default 50, at most 1000), next_page_uri carrying Page and PageToken
 * (PA + the last SID of the page, as in the documented example); the PageToken, not Page, says
 * where the next page starts ("Page: the page index. This value is simply for client state").
 */
export function listMessages(all: SimMessage[], accountSid: string, query: URLSearchParams, unsent: UnsentPosition = 'last'): Record<string, unknown> {
  const to = query.get('To');
  const from = query.get('From');
  const on = query.get('DateSent');
  const before = query.get('DateSent<');
  const after = query.get('DateSent>');
  const matches = all
    .filter((m) => m.accountSid === accountSid)
    .filter((m) => (to ? m.to === to : true) && (from ? m.from === from : true))
    .filter((m) => {
      if (!on && !before && !after) return true;
      if (m.dateSent === null) return false;
      if (on && !sameDayOrMoment(m.dateSent, on)) return false;
      if (before && m.dateSent > boundary(before, 'end')) return false;
      if (after && m.dateSent < boundary(after, 'start')) return false;
      return true;
    })
    .sort((a, b) => byDateSent(a, b, unsent));
  const pageSize = clamp(Number(query.get('PageSize') ?? 50), 1, 1000);
  const page = Math.max(0, Math.floor(Number(query.get('Page') ?? 0)) || 0);
  const token = query.get('PageToken');
  const afterToken = token ? matches.findIndex((m) => `PA${m.sid}` === token) : -1;
  const start = afterToken >= 0 ? afterToken + 1 : page * pageSize;
  const slice = matches.slice(start, start + pageSize);
  const base = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const link = (p: number, lastSid?: string) => {
    const params = new URLSearchParams();
    for (const [k, v] of query) if (k !== 'Page' && k !== 'PageToken' && k !== 'PageSize') params.append(k, v);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(p));
    if (lastSid) params.set('PageToken', `PA${lastSid}`);
    return `${base}?${params.toString()}`;
  };
  return {
    end: start + Math.max(slice.length, 1) - 1,
    first_page_uri: link(0),
    next_page_uri: start + pageSize < matches.length ? link(page + 1, slice.at(-1)?.sid) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? link(page - 1, start > pageSize ? matches[start - pageSize - 1]?.sid : undefined) : null,
    messages: slice.map((m) => messageJson(m)),
    start,
    uri: link(page, token ? token.slice(2) : undefined),
  };
}

function byDateSent(a: SimMessage, b: SimMessage, unsent: UnsentPosition): number {
  if (a.dateSent === null || b.dateSent === null) {
    if (a.dateSent === null && b.dateSent === null) return b.dateCreated - a.dateCreated || b.sid.localeCompare(a.sid);
    const aFirst = unsent === 'first' ? -1 : 1;
    return a.dateSent === null ? aFirst : -aFirst;
  }
  return b.dateSent - a.dateSent || b.dateCreated - a.dateCreated || b.sid.localeCompare(a.sid);
}

function sameDayOrMoment(ms: number, value: string): boolean {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(ms).toISOString().slice(0, 10) === value;
  return ms === Date.parse(value);
}

/** A bare date means the whole day (GMT); a date-time means that moment. */
function boundary(value: string, side: 'start' | 'end'): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = Date.parse(`${value}T00:00:00Z`);
    return side === 'start' ? day : day + 86_400_000 - 1;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? (side === 'start' ? -Infinity : Infinity) : ms;
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : 50;
}
