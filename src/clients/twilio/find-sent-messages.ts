import type twilio from 'twilio';
import type { Logger } from '../../support/logger.js';
import type { FindSentQuery, RecentMessage, SentLookup, SentPart } from './messenger.js';
import { templateText } from './template-text.js';

type TwilioClient = ReturnType<typeof twilio>;

/** The part of the SDK's MessagePage we read (its nextPage() type is wider than the page's). */
interface ListPage {
  instances: ListedMessage[];
  nextPageUrl?: string;
  nextPage(): Promise<ListPage | undefined>;
}

interface ListedMessage {
  sid?: unknown; status?: unknown; body?: unknown; dateCreated?: unknown; dateSent?: unknown; errorCode?: unknown; messagingServiceSid?: unknown;
}

/** Twilio's largest page ("The default is 50, and the maximum is 1000"). */
const SENT_PAGE_SIZE = 1000;

/**
 * "Was this part already sent?" after a send whose answer was lost, against Twilio's real list:
 * sorted by DateSent, most recent first (Message resource, "Read multiple Message resources"),
 * filtered by To, From and DateSent (a GMT day: `DateSent>=YYYY-MM-DD`).
 *
 * 1. The newest 1,000 messages to the recipient, not filtered by date. A message still queued
 *    has no DateSent, so a DateSent filter cannot return it; where Twilio lists such messages is
 *    not documented: if first, they are on this page; if last, they are out of cheap reach, and
 *    `unsent` tells the caller to look again once they have left the queue. In the common case
 *    this one request also reaches back past the send's time and answers (a lookup runs while
 *    Twilio is failing, so every request it saves counts).
 * 2. Only when more than a page went to that number since the send: every message sent on or
 *    after the send's day, newest first, in pages of 1,000, until the first one sent before the
 *    send's time: bounded by what went to that one number since then, whatever the account's
 *    volume. Because DateSent >= DateCreated, the stop is also right if Twilio ordered by
 *    creation instead.
 *
 * A part matches exactly: free text by its body; a template by the text it renders to, since
 * the Message resource has no content SID field (twilio/twilio-oai, api.v2010.account.message)
 * and its body holds the rendered template (twilio/twilio-node#1081). Sent through a Messaging
 * Service, a template's body comes back empty (same report), so an empty-bodied message of a
 * Messaging Service also counts: rolplay's caller excludes the SIDs it already recorded.
 */
export async function findSentMessages(client: TwilioClient, from: string, query: FindSentQuery & { to: string }, logger: Logger, cache: Map<string, TemplateBody>): Promise<SentLookup> {
  const matches = await matcher(client, query.part, logger, cache);
  const found = new Map<string, RecentMessage>();
  let unsent = 0;
  /** Reads a page; true when it reached a message sent before the send (nothing older can match). */
  const scan = (page: ListPage): boolean => {
    for (const raw of page.instances ?? []) {
      const m = toRecent(raw);
      if (m.dateSent !== null && m.dateSent < query.since) return true;
      if (m.dateSent === null) {
        unsent++;
        if (m.dateCreated !== null && m.dateCreated < query.since) continue;
      }
      if (matches(m, raw) && !found.has(m.sid)) found.set(m.sid, m);
    }
    return false;
  };
  const newest = (await client.messages.page({ to: query.to, from, pageSize: SENT_PAGE_SIZE })) as unknown as ListPage;
  // A match here may be another send of the same text (the caller skips those it recorded): only
  // reaching back past the send's time settles it.
  if (scan(newest) || !newest.nextPageUrl) return { matches: [...found.values()], unsent };

  const day = new Date(query.since).toISOString().slice(0, 10);
  let page = (await client.messages.page({ to: query.to, from, dateSentAfter: day as unknown as Date, pageSize: SENT_PAGE_SIZE })) as unknown as ListPage;
  while (!scan(page) && page.nextPageUrl) {
    const next = await page.nextPage();
    if (!next) break;
    page = next;
  }
  return { matches: [...found.values()], unsent };
}

export interface TemplateBody {
  /** The template's text with {{placeholders}}, or null when it has none we can read. */
  body: string | null;
  defaults: Record<string, string>;
}

async function matcher(client: TwilioClient, part: SentPart, logger: Logger, cache: Map<string, TemplateBody>): Promise<(m: RecentMessage, raw: ListedMessage) => boolean> {
  if ('body' in part) return (m) => m.body === part.body;
  let template = cache.get(part.contentSid);
  if (!template) {
    template = await templateText(client, part.contentSid, logger);
    if (template.body !== null) cache.set(part.contentSid, template);
  }
  const viaService = (m: RecentMessage, raw: ListedMessage) => m.body === '' && typeof raw.messagingServiceSid === 'string' && raw.messagingServiceSid !== '';
  if (template.body !== null) {
    const expected = normalise(render(template.body, part.variables, template.defaults));
    return (m, raw) => normalise(m.body) === expected || viaService(m, raw);
  }
  // The template's text could not be read (see templateText): every variable must appear.
  const values = Object.values(part.variables).filter((v) => v.trim() !== '');
  return (m, raw) => (m.body !== '' && values.every((v) => m.body.includes(v))) || viaService(m, raw);
}

export function render(body: string, variables: Record<string, string>, defaults: Record<string, string>): string {
  return body.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_, key: string) => variables[key] ?? defaults[key] ?? '');
}

/** Whitespace runs as one space, trimmed: WhatsApp and Twilio may trim what they store. */
function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function toRecent(m: ListedMessage): RecentMessage {
  return {
    sid: typeof m.sid === 'string' ? m.sid : '',
    status: typeof m.status === 'string' ? m.status : '',
    body: typeof m.body === 'string' ? m.body : '',
    dateCreated: toEpoch(m.dateCreated),
    dateSent: toEpoch(m.dateSent),
    errorCode: typeof m.errorCode === 'number' ? m.errorCode : null,
  };
}

function toEpoch(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}
