import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../support/logger.js';
import { errorMessage } from '../support/errors.js';
import type { ReceiveResult } from '../lifecycle/receive-inbound.js';
import type { DaemonComponent } from './daemon-component.js';

export const WEBHOOK_PATH = '/whatsapp-webhook';
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
  /** GET /health: `ok` picks 200 or 503; the other fields are reported as they are. */
  health: () => Promise<{ ok: boolean }>;
  logger: Logger;
}

export interface HttpServer extends DaemonComponent {
  /** http://host:port actually bound (port 0 picks a free one). */
  url(): string;
  server: Server;
}

/**
 * The daemon's only listener: Twilio's WhatsApp webhook and a health check. The webhook is
 * thin: size and type checks, the signature, then the lifecycle queues the message and the
 * answer is an empty TwiML at once; the reply goes out later through the Messages API.
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const log = options.logger;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      log.error({ err: errorMessage(error) }, 'webhook request failed');
      send(res, 500, 'text/plain', 'internal error');
    });
  });
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      const health: { ok: boolean } = await options.health().catch((error: unknown) => ({ ok: false, error: errorMessage(error) }));
      return send(res, health.ok ? 200 : 503, 'application/json', JSON.stringify({ status: health.ok ? 'ok' : 'error', ...health, ok: undefined }));
    }
    if (path !== WEBHOOK_PATH) return send(res, 404, 'text/plain', 'not found');
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'use POST', { Allow: 'POST' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return drain(req, res, 415, 'expected application/x-www-form-urlencoded');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > options.maxBodyBytes) return drain(req, res, 413, 'payload too large');
    const raw = await readLimited(req, options.maxBodyBytes);
    if (raw === undefined) return send(res, 413, 'text/plain', 'payload too large', { Connection: 'close' });
    const form = new URLSearchParams(raw);
    const params = Object.fromEntries(form);
    if (options.validateSignatures) {
      const signature = header(req, 'x-twilio-signature');
      const signed: Record<string, string | string[]> = {};
      for (const key of new Set(form.keys())) {
        const values = form.getAll(key);
        signed[key] = values.length === 1 ? values[0]! : values;
      }
      const url = publicUrlFor(options.publicUrl, req.url ?? path);
      if (!options.verifySignature({ url, params: signed, signature, signatureSettings: header(req, 'x-twilio-webhooks-signature-settings') })) {
        log.warn({ hasSignature: signature !== undefined }, 'webhook refused: X-Twilio-Signature does not match (check server.publicUrl and twilio.authToken)');
        return send(res, 403, 'text/plain', 'invalid signature');
      }
    }
    const result = await options.onInbound(params);
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
      log.info({ url: `${options.publicUrl || url()}${WEBHOOK_PATH}` }, 'listening for Twilio webhooks');
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2000).unref();
      });
    },
  };
}

/** The URL Twilio signed: the public base plus the path and query it called. */
export function publicUrlFor(publicUrl: string, requestUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  const query = requestUrl.includes('?') ? requestUrl.slice(requestUrl.indexOf('?')) : '';
  if (base.endsWith(WEBHOOK_PATH)) return base + query;
  return base + requestUrl;
}

function readLimited(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the rest is discarded and the connection closed after the 413.
        req.off('data', onData);
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Answers without reading a body we refuse (a small one is drained so keep-alive still works). */
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
