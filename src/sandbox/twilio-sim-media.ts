import { randomBytes } from 'node:crypto';
import type { SimReply, SimRequest } from './http-sim.js';
import { newSid, rfc2822 } from './twilio-sim-messages.js';

/**
 * The media of inbound messages, served the way Twilio serves it:
 * - GET /2010-04-01/Accounts/{AC}/Messages/{MM}/Media/{ME} needs HTTP Basic auth like the rest
 *   of the API ("Twilio enforces HTTP Basic Authentication for all media URLs",
 *   https://www.twilio.com/docs/messaging/api/media-resource; the simulator's auth check runs
 *   before this) and answers 307 Temporary Redirect to the media CDN, as codeforamerica/vita-min#563
 *   recorded (Location https://media.twiliocdn.com/{AC}/{hash}?x-amz-security-token=...).
 * - the CDN URL is pre-signed: no credentials, the bytes with their Content-Type and
 *   Content-Length. Here the "CDN" is a path on the simulator's own origin (/twiliocdn/...),
 *   which a client pointed at the simulator through twilio.apiBaseUrl may follow.
 * - ...Media/{ME}.json is the Media resource itself (sid, parent_sid, content_type, uri).
 * - unknown media: 404 with Twilio's error 20404.
 * Unverified: whether a second redirect ever comes (vita-min#563 saw "two redirects in
 * sequence"); the simulator sends one.
 */
export interface SimMediaItem {
  accountSid: string;
  messageSid: string;
  mediaSid: string;
  contentType: string;
  bytes: Buffer;
  /** The CDN never answers (a download that must time out). */
  stall: boolean;
  /** The secret part of the pre-signed CDN URL. */
  token: string;
  createdAt: number;
}

export interface AddedMedia {
  /** MediaUrl0 as the webhook carries it. */
  mediaUrl: string;
  messageSid: string;
  mediaSid: string;
  /** The webhook fields of a WhatsApp message carrying this media (Body empty, as for a voice note). */
  params: Record<string, string>;
}

/** What the Twilio simulator offers tests about media. */
export interface SimMediaApi {
  /**
   * Stores the media of an inbound message (a voice note): its MediaUrl0 is served with Basic
   * auth and a redirect to a pre-signed CDN path, as Twilio does.
   */
  addMedia(input: { contentType: string; bytes: Buffer; stall?: boolean }): AddedMedia;
  /** How many times each media's bytes were downloaded, by media SID. */
  mediaDownloads: Map<string, number>;
}

export interface SimMediaStore {
  add(input: { contentType: string; bytes: Buffer; stall?: boolean }): AddedMedia;
  /** The API media paths (after the simulator checked credentials and account). */
  serveApi(path: string, req: SimRequest): SimReply | undefined;
  /** The pre-signed CDN paths (no credentials). */
  serveCdn(req: SimRequest): Promise<SimReply> | SimReply | undefined;
  /** How many times each media's bytes were served. */
  downloads: Map<string, number>;
}

const CDN = '/twiliocdn/';

export function simMediaStore(accountSid: string, baseUrl: () => string, notFound: (path: string) => SimReply, now: () => number): SimMediaStore {
  const items = new Map<string, SimMediaItem>();
  const downloads = new Map<string, number>();
  return {
    downloads,
    add(input) {
      const item: SimMediaItem = {
        accountSid, messageSid: newSid('MM'), mediaSid: newSid('ME'), contentType: input.contentType, bytes: input.bytes,
        stall: input.stall ?? false, token: randomBytes(16).toString('hex'), createdAt: now(),
      };
      items.set(item.mediaSid, item);
      const mediaUrl = `${baseUrl()}/2010-04-01/Accounts/${accountSid}/Messages/${item.messageSid}/Media/${item.mediaSid}`;
      const kind = input.contentType.split('/')[0] ?? 'document';
      return {
        mediaUrl, messageSid: item.messageSid, mediaSid: item.mediaSid,
        params: { Body: '', NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: input.contentType, MessageType: kind === 'application' ? 'document' : kind },
      };
    },
    serveApi(path, req) {
      const m = /^Messages\/([A-Z]{2}[0-9a-f]{32})\/Media\/(ME[0-9a-f]{32})(\.json)?$/.exec(path);
      if (!m || req.method !== 'GET') return undefined;
      const item = items.get(m[2]!);
      if (!item || item.messageSid !== m[1]) return notFound(req.path);
      if (m[3]) {
        return { status: 200, body: {
          account_sid: accountSid, content_type: item.contentType, date_created: rfc2822(item.createdAt), date_updated: rfc2822(item.createdAt),
          parent_sid: item.messageSid, sid: item.mediaSid, uri: `/2010-04-01/Accounts/${accountSid}/Messages/${item.messageSid}/Media/${item.mediaSid}.json`,
        } };
      }
      const location = `${baseUrl()}${CDN}${accountSid}/${item.mediaSid}?x-amz-security-token=${item.token}`;
      return { status: 307, headers: { Location: location, 'Content-Type': 'application/xml' }, raw: `<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse><RedirectTo>${location.replace(/&/g, '&amp;')}</RedirectTo></TwilioResponse>` };
    },
    serveCdn(req): Promise<SimReply> | SimReply | undefined {
      if (!req.path.startsWith(CDN)) return undefined;
      const [, mediaSid] = req.path.slice(CDN.length).split('/');
      const item = items.get(mediaSid ?? '');
      // S3 answers a bad or missing signature with 403 AccessDenied.
      if (!item || req.query.get('x-amz-security-token') !== item.token) {
        return { status: 403, headers: { 'Content-Type': 'application/xml' }, raw: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' };
      }
      if (item.stall) return new Promise<SimReply>((resolve) => setTimeout(() => resolve({ status: 504, raw: '' }), 60_000).unref());
      downloads.set(item.mediaSid, (downloads.get(item.mediaSid) ?? 0) + 1);
      return { status: 200, headers: { 'Content-Type': item.contentType, 'Content-Length': String(item.bytes.length) }, raw: item.bytes };
    },
  };
}
