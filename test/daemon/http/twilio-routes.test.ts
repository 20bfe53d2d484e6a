import { createHmac, timingSafeEqual } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpListener, type HttpListener } from '../../../src/daemon/http/http-listener.js';
import { publicUrlFor, statusCallbackUrl, twilioRoutes, type TwilioRoutesOptions } from '../../../src/daemon/http/twilio-routes.js';
import type { ReceiveResult } from '../../../src/lifecycle/whatsapp/receive-inbound.js';
import { createLogger, silentLogger } from '../../../src/support/logger.js';

const TOKEN = 'test-auth-token';
const PUBLIC = 'https://coach.example.com';

/** Twilio's scheme: base64 HMAC-SHA1 over the URL then each sorted name+value. */
function sign(url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', TOKEN).update(data).digest('base64');
}
const verify = ({ url, params, signature }: { url: string; params: Record<string, string | string[]>; signature: string | undefined }) => {
  const a = Buffer.from(sign(url, params as Record<string, string>));
  const b = Buffer.from(signature ?? '');
  return a.length === b.length && timingSafeEqual(a, b);
};

let server: HttpListener | undefined;
const received: Array<Record<string, string>> = [];

/** The Twilio routes on a real listener on a free port, with a fake lifecycle behind them. */
async function start(overrides: Partial<TwilioRoutesOptions> = {}) {
  received.length = 0;
  const seen = new Set<string>();
  const logger = overrides.logger ?? silentLogger();
  server = createHttpListener({
    host: '127.0.0.1', port: 0, logger, health: async () => ({ ok: true }),
    routes: twilioRoutes({
      publicUrl: PUBLIC, maxBodyBytes: 2048, validateSignatures: true, verifySignature: verify, logger,
      onInbound: async (params): Promise<ReceiveResult> => {
        if (!params.MessageSid) return { status: 'invalid', problem: 'MessageSid is missing' };
        if (seen.has(params.MessageSid)) return { status: 'duplicate' };
        seen.add(params.MessageSid);
        received.push(params);
        return { status: 'queued', jobId: received.length };
      },
      ...overrides,
    }),
  });
  await server.start();
  return server.url();
}

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const params = { MessageSid: `SM${'a'.repeat(32)}`, From: 'whatsapp:+14155550100', To: 'whatsapp:+14155238886', Body: 'roleplay', NumMedia: '0' };

async function post(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${url}/whatsapp-webhook`, { method: 'POST', headers, body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}
const form = (p: Record<string, string>) => new URLSearchParams(p).toString();
const signedHeaders = (p: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(`${PUBLIC}/whatsapp-webhook`, p) });

describe('Twilio routes', () => {
  it('acknowledges a signed webhook with empty TwiML and hands the fields over', async () => {
    const url = await start();
    const res = await post(url, form(params), signedHeaders(params));
    expect(res).toMatchObject({ status: 200, text: '<?xml version="1.0" encoding="UTF-8"?><Response/>' });
    expect(res.type).toMatch(/^text\/xml/);
    expect(received).toEqual([params]);
  });

  it('stamps a message with when its request came in, not when its slow body was read (the conversation order goes by it)', async () => {
    let stamped = 0;
    const url = await start({ onInbound: async (_params, receivedAt) => {
      stamped = receivedAt;
      return { status: 'queued', jobId: 1 };
    } });
    const body = form(params);
    const sentHeadersAt = Date.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/whatsapp-webhook`, { method: 'POST', headers: { ...signedHeaders(params), 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.flushHeaders();
      setTimeout(() => req.end(body), 400);
    });
    expect(status).toBe(200);
    expect(stamped - sentHeadersAt).toBeLessThan(300);
  });

  it('answers a second delivery of the same MessageSid 200 without handing it over again', async () => {
    const url = await start();
    await post(url, form(params), signedHeaders(params));
    expect((await post(url, form(params), signedHeaders(params))).status).toBe(200);
    expect(received).toHaveLength(1);
  });

  it('refuses forged, unsigned and tampered requests with 403', async () => {
    const url = await start();
    expect((await post(url, form(params), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(403);
    expect((await post(url, form(params), { ...signedHeaders(params), 'x-twilio-signature': 'Zm9yZ2Vk' })).status).toBe(403);
    const tampered = { ...params, Body: 'plan' };
    expect((await post(url, form(tampered), signedHeaders(params))).status).toBe(403);
    expect(received).toHaveLength(0);
  });

  it('warns about a wrong signature once a minute, not once per forged request', async () => {
    const lines: string[] = [];
    const url = await start({ logger: createLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(line) } }) });
    for (let i = 0; i < 20; i++) expect((await post(url, form(params), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(403);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('check server.publicUrl and twilio.authToken');
  });

  it('checks the signature against the public URL, not the loopback address', () => {
    expect(publicUrlFor('https://coach.example.com/', '/whatsapp-webhook?x=1')).toBe('https://coach.example.com/whatsapp-webhook?x=1');
    expect(publicUrlFor('https://proxy.example.com/rolplay/whatsapp-webhook', '/whatsapp-webhook')).toBe('https://proxy.example.com/rolplay/whatsapp-webhook');
    expect(publicUrlFor('https://proxy.example.com/rolplay/whatsapp-webhook', '/twilio-status')).toBe('https://proxy.example.com/rolplay/twilio-status');
    expect(statusCallbackUrl('https://coach.example.com')).toBe('https://coach.example.com/twilio-status');
    expect(statusCallbackUrl('https://proxy.example.com/rolplay/whatsapp-webhook/')).toBe('https://proxy.example.com/rolplay/twilio-status');
  });

  it('serves /twilio-status with the same checks as the webhook, and only when given a handler', async () => {
    const statuses: Array<Record<string, string>> = [];
    let url = await start();
    expect((await fetch(`${url}/twilio-status`, { method: 'POST' })).status).toBe(404);
    await server!.stop();
    url = await start({
      onStatus: async (p) => {
        if (!p.MessageStatus) return { status: 'invalid', problem: 'MessageStatus is missing' };
        statuses.push(p);
        return { status: 'recorded', failure: false };
      },
    });
    const status = { MessageSid: params.MessageSid, MessageStatus: 'delivered' };
    const signed = (p: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(`${PUBLIC}/twilio-status`, p) });
    const postStatus = (body: string, headers: Record<string, string>) => fetch(`${url}/twilio-status`, { method: 'POST', headers, body });
    expect((await postStatus(form(status), signed(status))).status).toBe(200);
    expect((await postStatus(form(status), signedHeaders(status))).status).toBe(403);
    expect((await postStatus(JSON.stringify(status), { 'content-type': 'application/json' })).status).toBe(415);
    expect((await postStatus(form({ MessageSid: 'x'.repeat(3000) }), signed({ MessageSid: 'x'.repeat(3000) }))).status).toBe(413);
    expect((await postStatus(form({ MessageSid: 'x' }), signed({ MessageSid: 'x' }))).status).toBe(400);
    expect((await fetch(`${url}/twilio-status`)).status).toBe(405);
    expect(statuses).toEqual([status]);
    expect(received).toHaveLength(0);
  });

  it('refuses oversized (413), non-form (415) and half-filled (400) requests, and keeps serving', async () => {
    const url = await start();
    const big = { ...params, Body: 'x'.repeat(5000) };
    expect((await post(url, form(big), signedHeaders(big))).status).toBe(413);
    expect((await post(url, JSON.stringify(params), { 'content-type': 'application/json' })).status).toBe(415);
    const half = { From: params.From, Body: 'hi' };
    expect((await post(url, form(half), signedHeaders(half))).status).toBe(400);
    expect((await fetch(`${url}/whatsapp-webhook`)).status).toBe(405);
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
    expect(received).toHaveLength(0);
    expect((await post(url, form(params), signedHeaders(params))).status).toBe(200);
  });

  it('stops reading a chunked body past server.maxBodyBytes and answers 413', async () => {
    const url = new URL(await start());
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/whatsapp-webhook', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(`Body=${'y'.repeat(500)}&`);
      req.end();
    });
    expect(status).toBe(413);
    expect(received).toHaveLength(0);
  });

  it('accepts unsigned requests only when signature checks are turned off', async () => {
    const url = await start({ validateSignatures: false });
    expect((await post(url, form(params), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200);
  });

  it('refuses a signed request with a field named __proto__ added (it must count in the signature)', async () => {
    const url = await start();
    const body = `${form(params)}&__proto__=x`;
    expect((await post(url, body, signedHeaders(params))).status).toBe(403);
    expect(received).toHaveLength(0);
  });

  it('checks a body of 100,000 distinct fields in linear time', async () => {
    const url = await start({ maxBodyBytes: 2 * 1024 * 1024 });
    const body = Array.from({ length: 100_000 }, (_, i) => `f${i}=`).join('&');
    const started = Date.now();
    // Grouping repeated keys with getAll() per key took minutes here, blocking every other request.
    expect((await post(url, body, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'Zm9yZ2Vk' })).status).toBe(403);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('logs no failure when a client stops half-way through its body, and keeps serving', async () => {
    const lines: string[] = [];
    const url = new URL(await start({ logger: createLogger({ level: 'error', destination: { write: (line: string) => void lines.push(line) } }) }));
    await new Promise<void>((resolve) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/whatsapp-webhook', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('Body=half', () => setImmediate(() => req.destroy()));
    });
    expect((await post(url.origin, form(params), signedHeaders(params))).status).toBe(200);
    expect(lines).toEqual([]);
  });

  it('answers 500 (so Twilio reports it) when the message cannot be queued', async () => {
    const url = await start({ onInbound: async () => { throw new Error('database is locked'); } });
    expect((await post(url, form(params), signedHeaders(params))).status).toBe(500);
  });
});
