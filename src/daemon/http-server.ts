import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../support/logger.js';
import { errorMessage, isRetryable, retryAfterOf } from '../support/errors.js';
import type { ReceiveResult } from '../lifecycle/whatsapp/receive-inbound.js';
import type { StatusCallbackResult } from '../lifecycle/whatsapp/receive-delivery-status.js';
import type { DaemonComponent } from './daemon-component.js';

export const WEBHOOK_PATH = '/whatsapp-webhook';
/** Twilio's message status callbacks (the StatusCallback rolplay sets on every message it sends). */
export const STATUS_PATH = '/twilio-status';
export const HEALTH_PATH = '/health';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** What the signature check needs; repeated form fields stay arrays, as Twilio signed them. */
export interface SignatureInput {
  url: string;
  params: Record<string, string | string[]>;
  signature: string | undefined;
  /** X-Twilio-Webhooks-Signature-Settings (selects HMAC-SHA256), when sent. */
  signatureSettings: string | undefined;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  /** The public base address Twilio calls (server.publicUrl): signatures are computed over it. */
  publicUrl: string;
  maxBodyBytes: number;
  /** false only with twilio.validateSignatures = false (logged as a warning at start). */
  validateSignatures: boolean;
  verifySignature: (check: SignatureInput) => boolean;
  onInbound: (params: Record<string, string>) => Promise<ReceiveResult>;
  /** POST /twilio-status, signed like the webhook; without it that path is 404. */
  onStatus?: (params: Record<string, string>) => Promise<StatusCallbackResult>;
  /** GET /health: `ok` picks 200 or 503; the other fields are reported as they are. */
  health: () => Promise<{ ok: boolean }>;
  logger: Logger;
  /** A client must finish its request headers within this (slowloris guard); default 10 s. */
  headersTimeoutMs?: number;
  /** ...and its whole request, body included; default 15 s. */
  requestTimeoutMs?: number;
}

export interface HttpServer extends DaemonComponent {
  /** http://host:port actually bound (port 0 picks a free one). */
  url(): string;
  server: Server;
}

/**
 * The daemon's only listener: Twilio's WhatsApp webhook, its message status callbacks and a
 * health check. Both Twilio routes are thin and share every check: size and type, the
 * signature, then the lifecycle stores what came in and the answer is an empty TwiML at once;
 * the work (a reply, a fallback template) happens later in durable jobs.
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const log = options.logger;
  const sockets = new Set<Socket>();
  const refusals = refusalLog(log);
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 15_000;
  // A Map, not an object: a path like /__proto__ must not find anything.
  const forms = new Map<string, (params: Record<string, string>) => Promise<ReceiveResult | StatusCallbackResult>>([[WEBHOOK_PATH, options.onInbound]]);
  if (options.onStatus) forms.set(STATUS_PATH, options.onStatus);
  const server = createServer({
    headersTimeout,
    requestTimeout,
    // Node checks those deadlines on this period (30 s by default), so a slow client could
    // otherwise hold its connection for the period plus the timeout.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))),
  }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (isRetryable(error)) {
        // The store is locked or full for now: nothing was acknowledged, and a 503 makes
        // Twilio deliver the message again later (same MessageSid, so it is stored once).
        const seconds = Math.max(1, Math.ceil((retryAfterOf(error) ?? 5000) / 1000));
        log.error({ err: errorMessage(error), code: (error as { code?: unknown }).code }, 'webhook request not stored; answered 503 so Twilio retries');
        send(res, 503, 'text/plain', 'temporarily unavailable, retry later', { 'Retry-After': String(seconds) });
        return;
      }
      log.error({ err: errorMessage(error) }, 'webhook request failed');
      send(res, 500, 'text/plain', 'internal error');
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // While stopping, every answer closes its connection: a keep-alive socket would otherwise
  // hold server.close() open until it idles out.
  let stopping = false;
  const answering = new Set<ServerResponse>();
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
    answering.add(res);
    res.once('close', () => answering.delete(res));
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      const health: { ok: boolean } = await options.health().catch((error: unknown) => ({ ok: false, error: errorMessage(error) }));
      return send(res, health.ok ? 200 : 503, 'application/json', JSON.stringify({ status: health.ok ? 'ok' : 'error', ...health, ok: undefined }));
    }
    const handle = forms.get(path);
    if (!handle) return send(res, 404, 'text/plain', 'not found');
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'use POST', { Allow: 'POST' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return drain(req, res, 415, 'expected application/x-www-form-urlencoded');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > options.maxBodyBytes) return drain(req, res, 413, 'payload too large');
    const body = await readLimited(req, options.maxBodyBytes);
    if (body === 'too-large') return send(res, 413, 'text/plain', 'payload too large', { Connection: 'close' });
    if (body === 'gone') {
      // Cut off by our own timeouts, a broken chunk or the client itself: nobody to answer,
      // and nothing wrong on our side worth an error line.
      log.debug('client went away before sending the whole request');
      return;
    }
    const form = new URLSearchParams(body.text);
    const params = Object.fromEntries(form);
    if (options.validateSignatures) {
      const signature = header(req, 'x-twilio-signature');
      // Null prototype: on a plain object a field named __proto__ would set the prototype
      // instead, drop out of the signed data, and so could be added without breaking it.
      const signed = Object.create(null) as Record<string, string | string[]>;
      // One pass: getAll() per key rescans the whole form, which an unsigned body of
      // thousands of fields turns into seconds of blocked event loop.
      const grouped = new Map<string, string[]>();
      for (const [key, value] of form) {
        const values = grouped.get(key);
        if (values) values.push(value);
        else grouped.set(key, [value]);
      }
      for (const [key, values] of grouped) signed[key] = values.length === 1 ? values[0]! : values;
      const url = publicUrlFor(options.publicUrl, req.url ?? path);
      if (!options.verifySignature({ url, params: signed, signature, signatureSettings: header(req, 'x-twilio-webhooks-signature-settings') })) {
        refusals.note(signature !== undefined);
        return send(res, 403, 'text/plain', 'invalid signature');
      }
    }
    const result = await handle(params);
    if (result.status === 'invalid') return send(res, 400, 'text/plain', result.problem);
    send(res, 200, 'text/xml', EMPTY_TWIML);
  }

  let bound: AddressInfo | undefined;
  const url = () => `http://${bound?.family === 'IPv6' ? `[${bound.address}]` : bound?.address ?? options.host}:${bound?.port ?? options.port}`;
  return {
    name: 'http',
    server,
    url,
    async start() {
      if (!options.validateSignatures) log.warn('twilio.validateSignatures is false: anyone who can reach this port can post WhatsApp messages as any user');
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      bound = server.address() as AddressInfo;
      log.info({
        url: publicUrlFor(options.publicUrl || url(), WEBHOOK_PATH),
        ...(options.onStatus ? { statusCallback: statusCallbackUrl(options.publicUrl || url()) } : {}),
      }, 'listening for Twilio webhooks');
    },
    /** Stops accepting at once, lets requests in progress get their answer, then closes (2 s at most). */
    async stop() {
      stopping = true;
      for (const res of answering) if (!res.headersSent) res.setHeader('Connection', 'close');
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

/**
 * The URL Twilio signed: the public base plus the path and query it called. server.publicUrl
 * may be the base ("https://coach.example.com/rolplay") or, as some set-ups have it, the
 * webhook's full address ("https://coach.example.com/rolplay/whatsapp-webhook").
 */
export function publicUrlFor(publicUrl: string, requestUrl: string): string {
  return publicBase(publicUrl) + requestUrl;
}

/** The StatusCallback URL rolplay gives Twilio with each message it sends. */
export function statusCallbackUrl(publicUrl: string): string {
  return publicBase(publicUrl) + STATUS_PATH;
}

function publicBase(publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return base.endsWith(WEBHOOK_PATH) ? base.slice(0, -WEBHOOK_PATH.length) : base;
}

/** The body as text; 'too-large' past the limit; 'gone' when the request broke off half-way. */
function readLimited(req: IncomingMessage, limit: number): Promise<{ text: string } | 'too-large' | 'gone'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the rest is discarded and the connection closed after the 413.
        req.off('data', onData);
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => resolve('gone'));
  });
}

/** Answers without reading a body we refuse, and closes the connection (the rest is discarded). */
function drain(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  send(res, status, 'text/plain', text, { Connection: 'close' });
  req.resume();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * A wrong signature is worth a warning (a misconfigured publicUrl or authToken looks like this),
 * but anyone can send forged requests: at most one line a minute, with the count since the last.
 */
function refusalLog(log: Logger, everyMs = 60_000): { note(hadSignature: boolean): void } {
  let lastAt = -Infinity;
  let unlogged = 0;
  return {
    note(hadSignature) {
      const now = Date.now();
      if (now - lastAt < everyMs) {
        unlogged++;
        return;
      }
      log.warn({ hasSignature: hadSignature, alsoRefusedSinceLastWarning: unlogged || undefined }, 'webhook refused: X-Twilio-Signature does not match (check server.publicUrl and twilio.authToken)');
      lastAt = now;
      unlogged = 0;
    },
  };
}
