import { ProviderError } from '../../support/errors.js';
import { checkMediaUrl, isMediaRedirectTarget, mediaUrlPolicy } from './media-url.js';
import type { FetchedMedia } from './messenger.js';

export interface MediaFetchOptions {
  accountSid: string;
  authToken: string;
  apiBaseUrl?: string;
  /** The whole download, redirects included (default 20 s). */
  timeoutMs?: number;
  /** Bytes read at most (default 16 MB); the download stops past it. */
  maxBytes?: number;
  /** Redirects followed at most (default 3: Twilio may redirect twice, codeforamerica/vita-min#563). */
  maxRedirects?: number;
}

export const MAX_MEDIA_BYTES = 16 * 1024 * 1024;

/**
 * Downloads the media of an inbound message (a voice note). Not through the twilio SDK: its
 * RequestClient (axios) has no response type option, so a body is decoded as UTF-8 text and
 * binary audio comes back mangled; it sets no size limit, and with allowRedirects it would
 * follow up to 10 redirects to any host. So Node's fetch with HTTP Basic auth (Account SID :
 * Auth Token, as Twilio's media URLs require: https://www.twilio.com/docs/messaging/api/media-resource),
 * redirects taken by hand and checked (media-url.ts), a deadline, and a byte limit enforced on
 * Content-Length and while streaming. Failures are ProviderError (provider 'twilio') with a code
 * the caller maps to a reply: TWILIO_MEDIA_URL_REFUSED, TWILIO_MEDIA_NOT_FOUND, TWILIO_AUTH,
 * TWILIO_MEDIA_TOO_LARGE (final), TWILIO_TIMEOUT, TWILIO_SERVER, TWILIO_UNREACHABLE (retryable).
 */
export function createMediaFetcher(options: MediaFetchOptions): (url: string) => Promise<FetchedMedia> {
  const policy = mediaUrlPolicy(options.apiBaseUrl, options.accountSid);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxBytes = options.maxBytes ?? MAX_MEDIA_BYTES;
  const maxRedirects = options.maxRedirects ?? 3;
  const basic = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;

  return async (raw: string): Promise<FetchedMedia> => {
    const checked = checkMediaUrl(raw, policy);
    if (!checked.ok) throw failure(`refused to fetch media from an unexpected URL (${checked.reason})`, 'TWILIO_MEDIA_URL_REFUSED', false);
    const signal = AbortSignal.timeout(timeoutMs);
    let url = checked.url;
    try {
      for (let hop = 0; ; hop++) {
        // Credentials only on the first request, which checkMediaUrl allowed.
        const res = await fetch(url, { redirect: 'manual', signal, headers: hop === 0 ? { Authorization: basic } : {} });
        if (res.status >= 300 && res.status < 400) {
          await res.body?.cancel();
          const location = res.headers.get('location');
          const next = location ? safeUrl(location, url) : undefined;
          if (!next || hop >= maxRedirects || !isMediaRedirectTarget(next, policy)) {
            // The host only: a pre-signed location's query is a credential of its own.
            throw failure(`Twilio redirected the media to ${next ? next.host : 'nowhere'}, which rolplay does not fetch from`, 'TWILIO_MEDIA_URL_REFUSED', false);
          }
          url = next;
          continue;
        }
        if (!res.ok) {
          await res.body?.cancel();
          throw statusFailure(res.status, hop);
        }
        const declared = Number(res.headers.get('content-length') ?? Number.NaN);
        if (declared > maxBytes) {
          await res.body?.cancel();
          throw tooLarge(maxBytes);
        }
        const bytes = await readLimited(res, maxBytes);
        const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        return { bytes, contentType };
      }
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      if (signal.aborted) throw failure(`Twilio did not deliver the media within ${Math.round(timeoutMs / 1000)} s`, 'TWILIO_TIMEOUT', true, error);
      const code = (error as { cause?: { code?: string } }).cause?.code;
      throw failure(`cannot reach Twilio's media at ${url.host} (${code ?? 'network error'}): check twilio.apiBaseUrl and the network`, 'TWILIO_UNREACHABLE', true, error);
    }
  };
}

async function readLimited(res: Response, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

function statusFailure(status: number, hop: number): ProviderError {
  const where = hop === 0 ? 'Twilio' : "Twilio's media host";
  if (status === 401 || status === 403) {
    return failure(`${where} refused the media download (HTTP ${status}): check twilio.accountSid and twilio.authToken (or TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN)`, 'TWILIO_AUTH', false, undefined, status);
  }
  if (status === 404 || status === 410) return failure(`${where} has no such media (HTTP ${status}): it was deleted or never existed`, 'TWILIO_MEDIA_NOT_FOUND', false, undefined, status);
  if (status === 429 || status >= 500) return failure(`${where} failed to serve the media (HTTP ${status}); will retry`, status === 429 ? 'TWILIO_RATE_LIMIT' : 'TWILIO_SERVER', true, undefined, status);
  return failure(`${where} refused the media download (HTTP ${status})`, 'TWILIO_REJECTED', false, undefined, status);
}

function tooLarge(maxBytes: number): ProviderError {
  return failure(`the media is larger than ${Math.round(maxBytes / (1024 * 1024))} MB`, 'TWILIO_MEDIA_TOO_LARGE', false);
}

function failure(message: string, code: string, retryable: boolean, cause?: unknown, status?: number): ProviderError {
  return new ProviderError(message, { provider: 'twilio', code, retryable, cause, status });
}

function safeUrl(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}
