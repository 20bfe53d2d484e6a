import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The shared harness of the loopback simulators: a node:http server on 127.0.0.1 (port 0 by
 * default), body reading, JSON replies, a request log, and fault injection (a share of requests
 * answered with 429/500/503, a reset connection, a slow answer, or a response dropped after
 * the request took effect) so tests can exercise retries and ambiguous sends.
 */
export type Fault = '429' | '500' | '503' | 'reset' | 'slow' | 'drop-after-commit';

export interface FaultPlan {
  /** Share of requests (0..1) that get a fault. */
  rate: number;
  kinds: Fault[];
  /** Seed for reproducible fault sequences. */
  seed?: number;
  /** How long a 'slow' answer waits, ms (default 30 s: past any client timeout). */
  slowMs?: number;
  /** Retry-After seconds sent with 429/503 (default 1). */
  retryAfterSeconds?: number;
}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body (already serialised, or bytes such as media) instead of JSON. */
  raw?: string | Buffer;
}

export type SimHandler = (req: SimRequest) => SimReply | Promise<SimReply>;

export interface RunningSim {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
  server: Server;
  requests: SimRequest[];
  /** Forces the next N requests to get this fault (in addition to the random plan). */
  failNext(fault: Fault, count?: number): void;
  setFaults(plan: FaultPlan | null): void;
  /**
   * Answers every request only after a random wait in [min, max] ms, taken after the request
   * took effect (as a real provider's round trip): a process that dies meanwhile has sent
   * something it never heard back about. null turns it off.
   */
  setLatency(range: [number, number] | null): void;
  close(): Promise<void>;
}

export interface StartSimOptions {
  port?: number;
  host?: string;
  faults?: FaultPlan;
  /** Called for a fault of kind 'drop-after-commit' to decide the handler still runs. */
  maxBodyBytes?: number;
  /** Picks a fault for one specific request (e.g. drop only the answer to a create); checked first. */
  faultFor?: (req: SimRequest) => Fault | undefined;
  /** The provider's own error body for an injected 429/500/503 (default: a generic one). */
  faultBody?: (status: 429 | 500 | 503) => unknown;
}

export async function startSim(handler: SimHandler, options: StartSimOptions = {}): Promise<RunningSim> {
  const requests: SimRequest[] = [];
  const forced: Fault[] = [];
  let plan: FaultPlan | null = options.faults ?? null;
  let random = seeded(plan?.seed ?? 1);
  let latency: [number, number] | null = null;
  const latencyRandom = seeded(2);

  const server = createServer((req, res) => {
    void serve(req, res);
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, options.maxBodyBytes ?? 10 * 1024 * 1024).catch(() => null);
    if (body === null) {
      sendJson(res, { status: 413, body: { error: 'payload too large' } });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const simReq: SimRequest = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers, body };
    requests.push(simReq);
    const fault = options.faultFor?.(simReq) ?? forced.shift() ?? (plan && random() < plan.rate ? plan.kinds[Math.floor(random() * plan.kinds.length)] : undefined);
    const retryAfter = String(plan?.retryAfterSeconds ?? 1);
    try {
      switch (fault) {
        case '429':
          return sendJson(res, { status: 429, headers: { 'Retry-After': retryAfter }, body: options.faultBody?.(429) ?? { error: { code: 429, message: 'Too many requests (simulated)' } } });
        case '500':
          return sendJson(res, { status: 500, body: options.faultBody?.(500) ?? { error: { code: 500, message: 'Internal error (simulated)' } } });
        case '503':
          return sendJson(res, { status: 503, headers: { 'Retry-After': retryAfter }, body: options.faultBody?.(503) ?? { error: { code: 503, message: 'Service unavailable (simulated)' } } });
        case 'reset':
          req.socket.destroy();
          return;
        case 'slow':
          await new Promise((r) => setTimeout(r, plan?.slowMs ?? 30_000));
          break;
        case 'drop-after-commit':
          await handler(simReq);
          req.socket.destroy();
          return;
        default:
          break;
      }
      const reply = await handler(simReq);
      const wait = latency;
      if (wait) await new Promise((r) => setTimeout(r, wait[0] + latencyRandom() * (wait[1] - wait[0])));
      sendJson(res, reply);
    } catch (error) {
      sendJson(res, { status: 500, body: { error: { code: 500, message: `simulator error: ${(error as Error).message}` } } });
    }
  }

  // A fixed port already in use rejects (EADDRINUSE) instead of crashing the process.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    requests,
    failNext(fault, count = 1) {
      for (let i = 0; i < count; i++) forced.push(fault);
    },
    setLatency(range) {
      latency = range;
    },
    setFaults(next) {
      plan = next;
      random = seeded(next?.seed ?? 1);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, reply: SimReply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: string | Buffer = '';
  if (reply.raw !== undefined) payload = reply.raw;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** mulberry32: a tiny seeded PRNG so fault sequences are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
