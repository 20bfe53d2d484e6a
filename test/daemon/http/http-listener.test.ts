import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpListener, type HttpListenerOptions, type HttpListener, type HttpRoute } from '../../../src/daemon/http/http-listener.js';
import { respond } from '../../../src/daemon/http/respond.js';
import { StoreError, TransientError } from '../../../src/support/errors.js';
import { createLogger, silentLogger } from '../../../src/support/logger.js';

let listener: HttpListener | undefined;
afterEach(async () => {
  await listener?.stop();
  listener = undefined;
});

const echo: HttpRoute = { path: '/echo', methods: ['POST', 'PUT'], handle: async (req, res) => respond(res, 200, 'text/plain', `${req.method} ${req.url}`) };

async function start(overrides: Partial<HttpListenerOptions> = {}): Promise<string> {
  listener = createHttpListener({ host: '127.0.0.1', port: 0, routes: [echo], health: async () => ({ ok: true, jobs: { pending: 0 } }), logger: silentLogger(), ...overrides });
  await listener.start();
  return listener.url();
}

describe('HTTP listener', () => {
  it('routes on the exact path, query aside, and answers 404 elsewhere (a path named like an Object member included)', async () => {
    const url = await start();
    const ok = await fetch(`${url}/echo?x=1`, { method: 'POST' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('POST /echo?x=1');
    for (const path of ['/echo/', '/ECHO', '/__proto__', '/constructor', '/']) expect((await fetch(`${url}${path}`, { method: 'POST' })).status).toBe(404);
  });

  it('answers 405 with the allowed methods to any other method', async () => {
    const url = await start();
    const res = await fetch(`${url}/echo`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, PUT');
    expect(await res.text()).toBe('use POST or PUT');
  });

  it('reports health as JSON, 503 when the store is unwell or the check throws', async () => {
    const url = await start();
    const ok = await fetch(`${url}/health`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', jobs: { pending: 0 } });
    expect((await fetch(`${url}/health`, { method: 'HEAD' })).status).toBe(200);
    // Not a route: another method finds nothing, as the fuzz test expects.
    expect((await fetch(`${url}/health`, { method: 'POST' })).status).toBe(404);
    await listener!.stop();
    const url2 = await start({ health: async () => ({ ok: false, error: 'database is locked' }) });
    const bad = await fetch(`${url2}/health`);
    expect(bad.status).toBe(503);
    expect(await bad.json()).toEqual({ status: 'error', error: 'database is locked' });
    await listener!.stop();
    const url3 = await start({ health: async () => { throw new Error('no store'); } });
    const thrown = await fetch(`${url3}/health`);
    expect(thrown.status).toBe(503);
    expect(await thrown.json()).toEqual({ status: 'error', error: 'no store' });
  });

  it('answers 503 with Retry-After when a route fails for now (store locked or full), 500 otherwise', async () => {
    const lines: Array<{ msg: string }> = [];
    const logger = createLogger({ level: 'error', destination: { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) } });
    const failing = (error: Error): HttpRoute => ({ path: `/${error.message}`, methods: ['POST'], handle: async () => { throw error; } });
    const url = await start({ logger, routes: [failing(new StoreError('locked', { reason: 'locked', retryable: true })), failing(new TransientError('later', { retryAfterMs: 12_500 })), failing(new Error('broken'))] });
    const locked = await fetch(`${url}/locked`, { method: 'POST' });
    expect([locked.status, locked.headers.get('retry-after')]).toEqual([503, '5']);
    const later = await fetch(`${url}/later`, { method: 'POST' });
    expect([later.status, later.headers.get('retry-after')]).toEqual([503, '13']);
    expect((await fetch(`${url}/broken`, { method: 'POST' })).status).toBe(500);
    expect(lines.map((l) => l.msg)).toEqual(['webhook request not stored; answered 503 so Twilio retries', 'webhook request not stored; answered 503 so Twilio retries', 'webhook request failed']);
  });

  it('keeps the first answer when a route fails after answering', async () => {
    const url = await start({ routes: [{ path: '/late', methods: ['POST'], handle: async (_req, res) => { respond(res, 200, 'text/plain', 'done'); throw new Error('after'); } }] });
    const res = await fetch(`${url}/late`, { method: 'POST' });
    expect([res.status, await res.text()]).toEqual([200, 'done']);
  });

  it('stops at once with an idle keep-alive connection open, and answers a request in progress with Connection: close', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let arrived!: () => void;
    const inProgress = new Promise<void>((resolve) => { arrived = resolve; });
    const url = new URL(await start({ routes: [echo, { path: '/slow', methods: ['POST'], handle: async (_req, res) => { arrived(); await held; respond(res, 200, 'text/plain', 'late'); } }] }));
    const idle = await fetch(`${url.origin}/health`);
    await idle.text();
    const socket = connect(Number(url.port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString('utf8'); });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(`POST /slow HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: 0\r\n\r\n`);
    await inProgress;
    const t0 = performance.now();
    const stopped = listener!.stop();
    release();
    await stopped;
    await closed;
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toMatch(/late$/);
    listener = undefined;
  });

  it('reports the address it bound, the configured one before start', async () => {
    listener = createHttpListener({ host: '127.0.0.1', port: 0, routes: [], health: async () => ({ ok: true }), logger: silentLogger() });
    expect(listener.url()).toBe('http://127.0.0.1:0');
    await listener.start();
    expect(listener.url()).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
  });
});
