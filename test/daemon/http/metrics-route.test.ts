import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpListener, type HttpListener } from '../../../src/daemon/http/http-listener.js';
import { metricsRoute } from '../../../src/daemon/http/metrics-route.js';
import { respond } from '../../../src/daemon/http/respond.js';
import { silentLogger } from '../../../src/support/logger.js';

let listener: HttpListener | undefined;
afterEach(async () => {
  await listener?.stop();
  listener = undefined;
});

const EXPOSITION = '# HELP rolplay_up test\n# TYPE rolplay_up gauge\nrolplay_up 1\n';

async function start(token: string, seen: Array<{ route: string; status: string }> = []): Promise<string> {
  listener = createHttpListener({
    host: '127.0.0.1',
    port: 0,
    routes: [
      metricsRoute({ token, logger: silentLogger(), scrape: async () => {
        if (token === 'broken') throw new Error('database is locked');
        return { contentType: 'text/plain; version=0.0.4; charset=utf-8', body: EXPOSITION };
      } }),
      {
        path: '/hook',
        methods: ['POST'],
        handle: async (req, res) => {
          await new Promise((resolve) => req.on('end', resolve).on('close', resolve).resume());
          // As the Twilio routes do: a request cut off before its end gets no answer.
          if (req.complete) respond(res, 200, 'text/plain', 'ok');
        },
      },
    ],
    health: async () => ({ ok: true }),
    logger: silentLogger(),
    metrics: { httpRequest: (e) => seen.push(e) },
  });
  await listener.start();
  return listener.url();
}

const get = (url: string, authorization?: string) => fetch(`${url}/metrics`, { headers: authorization === undefined ? {} : { Authorization: authorization } });

describe('GET /metrics', () => {
  it('with server.metricsToken, serves only the bearer of that token: 401 with a challenge otherwise', async () => {
    const url = await start('s3cret-token');
    const none = await get(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="rolplay metrics"');
    for (const wrong of ['Bearer s3cret-tokeN', 'Bearer s3cret-token-and-more', 'Bearer s3cret', 'Basic czNjcmV0LXRva2Vu', 'Bearer', 's3cret-token', 'Bearer  ']) {
      const res = await get(url, wrong);
      expect(res.status, wrong).toBe(401);
      expect(await res.text()).not.toContain('s3cret');
    }
    expect((await get(url, 'Bearer wrong')).headers.get('www-authenticate')).toBe('Bearer realm="rolplay metrics", error="invalid_token"');
    // The scheme is case-insensitive (RFC 7235).
    for (const right of ['Bearer s3cret-token', 'bearer s3cret-token']) {
      const ok = await get(url, right);
      expect(ok.status, right).toBe(200);
      expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await ok.text()).toBe(EXPOSITION);
    }
  });

  it('without a token, serves anyone; other methods get 405', async () => {
    const url = await start('');
    expect((await get(url)).status).toBe(200);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 503 when the store cannot be counted', async () => {
    const url = await start('broken');
    const res = await get(url, 'Bearer broken');
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('metrics unavailable: the store could not be read');
  });

  it('counts requests by route pattern and status, never by the URL asked for', async () => {
    const seen: Array<{ route: string; status: string }> = [];
    const url = await start('t', seen);
    await get(url, 'Bearer t');
    await fetch(`${url}/metrics?user=alice`);
    await fetch(`${url}/hook?x=1`, { method: 'POST' });
    await fetch(`${url}/hook`);
    await fetch(`${url}/health`);
    await fetch(`${url}/secret/alice@example.com`);
    await fetch(`${url}/health`, { method: 'DELETE' });
    // A request that never gets an answer: the client leaves mid-body.
    await new Promise<void>((resolve) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1', () => {
        socket.write('POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab', () => setTimeout(() => socket.destroy(), 20));
      });
      socket.on('close', () => resolve());
      socket.resume();
    });
    for (let i = 0; i < 100 && seen.length < 8; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([
      { route: '/metrics', status: '200' },
      { route: '/metrics', status: '401' },
      { route: '/hook', status: '200' },
      { route: '/hook', status: '405' },
      { route: '/health', status: '200' },
      { route: 'unmatched', status: '404' },
      { route: 'unmatched', status: '404' },
      { route: '/hook', status: 'aborted' },
    ]);
  });
});
