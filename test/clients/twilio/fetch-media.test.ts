import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMediaFetcher } from '../../../src/clients/twilio/fetch-media.js';
import { ProviderError } from '../../../src/support/errors.js';
import { startTwilioSimulator, type TwilioSim } from '../../../src/sandbox/twilio-simulator.js';
import { oggOpusFile } from '../../../src/sandbox/ogg-opus-file.js';

let closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

async function sim(): Promise<TwilioSim> {
  const s = await startTwilioSimulator();
  closers.push(() => s.close());
  return s;
}

/** A loopback server that counts requests and answers with `answer`. */
async function server(answer: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void): Promise<{ url: string; hits: Array<{ url: string; auth: string | undefined }> }> {
  const hits: Array<{ url: string; auth: string | undefined }> = [];
  const s: Server = createServer((req, res) => {
    hits.push({ url: req.url ?? '', auth: req.headers.authorization });
    answer(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); }));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, hits };
}

const failure = async (p: Promise<unknown>): Promise<ProviderError> => {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
};

describe('createMediaFetcher', () => {
  it('downloads a voice note with Basic auth, follows the 307 to the pre-signed CDN path without the credentials', async () => {
    const twilio = await sim();
    const bytes = oggOpusFile({ seconds: 2, transcript: 'hello' });
    const media = twilio.addMedia({ contentType: 'audio/ogg', bytes });
    const fetchMedia = createMediaFetcher({ accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url });
    const got = await fetchMedia(media.mediaUrl);
    expect(got.contentType).toBe('audio/ogg');
    expect(Buffer.compare(got.bytes, bytes)).toBe(0);
    const [api, cdn] = twilio.requests;
    expect(api!.path).toContain(`/Media/${media.mediaSid}`);
    expect(api!.headers.authorization).toMatch(/^Basic /);
    expect(cdn!.path).toMatch(/^\/twiliocdn\//);
    expect(cdn!.headers.authorization).toBeUndefined();
  });

  it('refuses a URL on another host, or another API path, before any request', async () => {
    const twilio = await sim();
    const elsewhere = await server((_req, res) => res.end('x'));
    const fetchMedia = createMediaFetcher({ accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url });
    const media = twilio.addMedia({ contentType: 'audio/ogg', bytes: oggOpusFile() });
    const forged = [
      media.mediaUrl.replace(twilio.url, elsewhere.url),
      `${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`,
      media.mediaUrl.replace(twilio.accountSid, `AC${'0'.repeat(32)}`),
      media.mediaUrl.replace('http://', `http://${twilio.accountSid}:x@`),
      'not a url',
    ];
    for (const url of forged) expect((await failure(fetchMedia(url))).code).toBe('TWILIO_MEDIA_URL_REFUSED');
    expect(elsewhere.hits).toHaveLength(0);
    expect(twilio.requests).toHaveLength(0);
    // Without twilio.apiBaseUrl only https://api.twilio.com is trusted.
    const real = createMediaFetcher({ accountSid: twilio.accountSid, authToken: twilio.authToken });
    expect((await failure(real(media.mediaUrl))).code).toBe('TWILIO_MEDIA_URL_REFUSED');
    expect(twilio.requests).toHaveLength(0);
  });

  it('maps 404 and 401 to final errors, and a stalled download to a retryable timeout', async () => {
    const twilio = await sim();
    const fetchMedia = createMediaFetcher({ accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url, timeoutMs: 300 });
    const media = twilio.addMedia({ contentType: 'audio/ogg', bytes: oggOpusFile() });
    const missing = await failure(fetchMedia(media.mediaUrl.replace(media.mediaSid, `ME${'a'.repeat(32)}`)));
    expect(missing).toMatchObject({ code: 'TWILIO_MEDIA_NOT_FOUND', retryable: false, status: 404 });
    const wrongToken = createMediaFetcher({ accountSid: twilio.accountSid, authToken: 'f'.repeat(32), apiBaseUrl: twilio.url });
    const denied = await failure(wrongToken(media.mediaUrl));
    expect(denied).toMatchObject({ code: 'TWILIO_AUTH', retryable: false, status: 401 });
    expect(denied.message).not.toContain('f'.repeat(32));
    const stalled = twilio.addMedia({ contentType: 'audio/ogg', bytes: oggOpusFile(), stall: true });
    expect(await failure(fetchMedia(stalled.mediaUrl))).toMatchObject({ code: 'TWILIO_TIMEOUT', retryable: true });
  });

  it('stops at the byte limit: on Content-Length, and while streaming a body that declares none', async () => {
    const twilio = await sim();
    const big = twilio.addMedia({ contentType: 'audio/ogg', bytes: Buffer.alloc(16 * 1024 * 1024 + 1) });
    const fetchMedia = createMediaFetcher({ accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url });
    expect(await failure(fetchMedia(big.mediaUrl))).toMatchObject({ code: 'TWILIO_MEDIA_TOO_LARGE', retryable: false });
    expect(twilio.mediaDownloads.get(big.mediaSid)).toBe(1);

    let written = 0;
    const chunked = await server((req, res) => {
      if (!req.url!.startsWith('/cdn')) {
        res.writeHead(302, { Location: '/cdn/file?sig=1' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'audio/ogg' });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (written < 64 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
        if (written < 64 * 1024 * 1024) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const account = `AC${'1'.repeat(32)}`;
    const limited = createMediaFetcher({ accountSid: account, authToken: 'token', apiBaseUrl: chunked.url, maxBytes: 256 * 1024 });
    const url = `${chunked.url}/2010-04-01/Accounts/${account}/Messages/MM${'2'.repeat(32)}/Media/ME${'3'.repeat(32)}`;
    expect(await failure(limited(url))).toMatchObject({ code: 'TWILIO_MEDIA_TOO_LARGE' });
    expect(written).toBeLessThan(64 * 1024 * 1024);
    expect(chunked.hits.map((h) => [h.url.slice(0, 4), h.auth !== undefined])).toEqual([['/201', true], ['/cdn', false]]);
  });

  it('follows a redirect only to Twilio\'s media CDN or the configured origin, never elsewhere', async () => {
    const elsewhere = await server((_req, res) => res.end('x'));
    const account = `AC${'1'.repeat(32)}`;
    const twilioLike = await server((_req, res) => res.writeHead(307, { Location: `${elsewhere.url}/file?X-Amz-Signature=abc` }).end());
    const fetchMedia = createMediaFetcher({ accountSid: account, authToken: 'token', apiBaseUrl: twilioLike.url });
    const url = `${twilioLike.url}/2010-04-01/Accounts/${account}/Messages/MM${'2'.repeat(32)}/Media/ME${'3'.repeat(32)}`;
    const error = await failure(fetchMedia(url));
    expect(error.code).toBe('TWILIO_MEDIA_URL_REFUSED');
    expect(error.message).not.toContain('X-Amz-Signature');
    expect(elsewhere.hits).toHaveLength(0);
  });
});
