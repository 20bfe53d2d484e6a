import type { SimMessage } from './twilio-sim-messages.js';

/**
 * Outbound media in the Twilio simulator: a message created with MediaUrl is fetched from the
 * simulator's side, as Twilio does before handing it to WhatsApp. What it fetched (status,
 * content type, size) is kept on the message for tests to check.
 *
 * Sources for each behaviour:
 * - "Twilio issues GET and HEAD requests to the MediaUrl to validate the file's Content-Type
 *   header" (twilio.com/docs/messaging/guides/accepted-mime-types): HEAD first, then GET.
 * - WhatsApp audio is OGG, AMR, 3GP, AAC or MPEG; images JPG, PNG, WEBP; video MP4; documents
 *   PDF and Office files (twilio.com/docs/whatsapp/guidance-whatsapp-media-messages).
 * - "a WhatsApp media message can only contain one media attachment. Any additional
 *   attachments will be ignored" (Twilio help center, "Sending and Receiving Media with
 *   WhatsApp Messaging on Twilio"): only the first URL is fetched.
 * - Media that cannot be fetched fails the message afterwards, not the create call: 63019
 *   "Media failed to download" (twilio.com/docs/api/errors/63019: "Twilio failed to download
 *   the media from the sender", or got 0 bytes), as reported for WhatsApp sends through Twilio
 *   in freescout-help-desk/freescout#5174 (the message logged as failed with 63019).
 * - A type WhatsApp does not take fails with 63021 "Channel invalid content error"
 *   (twilio.com/docs/api/errors/63021: "Unable to upload the media used in the message because
 *   it is not supported by the messaging channel"). Unverified: whether Twilio checks the type
 *   before the channel does; the error code is the channel's either way.
 */
export interface FetchedMedia {
  url: string;
  /** The GET's HTTP status, or the network error's message. */
  status: number | string;
  contentType: string | null;
  /** Bytes received. */
  size: number;
  /** Whether a HEAD request was answered before the GET, and with what status. */
  headStatus: number | string;
}

const WHATSAPP_TYPES = new Set([
  'audio/ogg', 'audio/amr', 'audio/3gpp', 'audio/aac', 'audio/mpeg', 'audio/mp4',
  'image/jpeg', 'image/jpg', 'image/png', 'image/webp', 'video/mp4', 'video/3gpp',
  'application/pdf', 'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/vcard',
]);

export interface OutboundMedia {
  /** Starts fetching a new message's media; the message stays queued until it is done. */
  onCreate(message: SimMessage, urls: string[]): void;
  /** True while the message's media is being fetched. */
  pending(sid: string): boolean;
  /** Resolves once every fetch started so far has finished. */
  settled(): Promise<void>;
}

/** `target` maps the public MediaUrl to where it is really reachable (a test's loopback listener). */
export function createOutboundMedia(target: (url: string) => string = (url) => url): OutboundMedia {
  const inFlight = new Map<string, Promise<void>>();

  async function fetchFor(message: SimMessage, url: string): Promise<void> {
    const headStatus = await request(target(url), 'HEAD').then((r) => r.status, (e: unknown) => describe(e));
    let fetched: FetchedMedia;
    try {
      const res = await request(target(url), 'GET');
      const body = res.ok ? new Uint8Array(await res.arrayBuffer()) : new Uint8Array();
      fetched = { url, status: res.status, contentType: res.headers.get('content-type'), size: body.length, headStatus };
    } catch (error) {
      fetched = { url, status: describe(error), contentType: null, size: 0, headStatus };
    }
    message.media = [...(message.media ?? []), fetched];
    const type = (fetched.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (typeof fetched.status !== 'number' || fetched.status < 200 || fetched.status > 299 || fetched.size === 0) {
      message.failWith = { code: 63019, message: 'Media failed to download' };
    } else if (!WHATSAPP_TYPES.has(type)) {
      message.failWith = { code: 63021, message: 'Channel invalid content error' };
    }
  }

  return {
    onCreate(message, urls) {
      message.mediaUrls = urls;
      const first = urls[0];
      if (!first) return;
      const work = fetchFor(message, first).finally(() => inFlight.delete(message.sid));
      inFlight.set(message.sid, work);
    },
    pending: (sid) => inFlight.has(sid),
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight.values()]);
    },
  };
}

function request(url: string, method: 'GET' | 'HEAD'): Promise<Response> {
  return fetch(url, { method, redirect: 'follow', signal: AbortSignal.timeout(10_000) });
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } } | null)?.cause?.code;
  return cause ?? (error instanceof Error ? error.message : String(error));
}
