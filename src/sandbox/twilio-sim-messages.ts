import { randomBytes } from 'node:crypto';

/**
 * Twilio's Message resource as the simulator keeps it, and its public JSON shape
 * (snake_case, RFC 2822 dates, counts as strings, null for what is unknown).
 */
export interface SimMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  statusCallback: string | null;
  status: 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read' | 'received';
  errorCode: number | null;
  errorMessage: string | null;
  numMedia: number;
  dateCreated: number;
  dateSent: number | null;
  dateUpdated: number;
  /** Set when this free-form message will fail with 63016 once settled. */
  failWith?: { code: number; message: string };
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

export function messageJson(m: SimMessage): Record<string, unknown> {
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
    messaging_service_sid: null,
    num_media: String(m.numMedia),
    num_segments: String(numSegments(m.to, m.body)),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: {
      media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json`,
      feedback: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Feedback.json`,
    },
    to: m.to,
    uri: messageUri(m),
  };
}

/**
 * GET .../Messages.json: To/From exact, DateSent (a day, or a moment), DateSent< / DateSent>
 * (Twilio's inclusive "on or before/after"), newest first, Page/PageSize paging with
 * next_page_uri. Like Twilio, a DateSent filter never matches a message not yet sent.
 */
export function listMessages(all: SimMessage[], accountSid: string, query: URLSearchParams): Record<string, unknown> {
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
      if (on && !sameMoment(m.dateSent, on)) return false;
      if (before && m.dateSent > boundary(before, 'end')) return false;
      if (after && m.dateSent < boundary(after, 'start')) return false;
      return true;
    })
    .sort((a, b) => b.dateCreated - a.dateCreated || b.sid.localeCompare(a.sid));
  const pageSize = clamp(Number(query.get('PageSize') ?? 50), 1, 1000);
  const page = Math.max(0, Math.floor(Number(query.get('Page') ?? 0)) || 0);
  const start = page * pageSize;
  const slice = matches.slice(start, start + pageSize);
  const base = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of query) if (k !== 'Page' && k !== 'PageToken' && k !== 'PageSize') params.append(k, v);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(p));
    if (p > 0) params.set('PageToken', `PA${matches[p * pageSize - 1]?.sid ?? ''}`);
    return `${base}?${params.toString()}`;
  };
  return {
    messages: slice.map(messageJson),
    end: start + Math.max(slice.length, 1) - 1,
    first_page_uri: link(0),
    next_page_uri: start + pageSize < matches.length ? link(page + 1) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? link(page - 1) : null,
    start,
    uri: link(page),
  };
}

function sameMoment(ms: number, value: string): boolean {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(ms).toISOString().slice(0, 10) === value;
  return ms === Date.parse(value);
}

/** A bare date means the whole day (UTC); a date-time means that moment. */
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
