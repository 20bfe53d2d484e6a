import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../../support/logger.js';
import { errorMessage, isRetryable, retryAfterOf } from '../../support/errors.js';
import type { Metrics } from '../../support/metrics.js';
import type { DaemonComponent } from '../daemon-component.js';
import { respond } from './respond.js';

export const HEALTH_PATH = '/health';

/** One path the listener serves; the routes decide what a request means, the listener only finds them. */
export interface HttpRoute {
  /** Matched exactly, query string aside; with `prefix`, a folder ("/media/") whose paths below it match. */
  path: string;
  /**
   * Serves every path under `path` (which ends with "/"), never `path` itself: a folder of
   * resources, each found by its own name, with nothing that lists them.
   */
  prefix?: boolean;
  /** The methods served here; any other is answered 405 with an Allow header. */
  methods: readonly string[];
  /** Answers the request; a throw becomes a 503 (retryable: the store is busy or full) or a 500. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface HttpListenerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  routes: readonly HttpRoute[];
  /** GET /health: `ok` picks 200 or 503; the other fields are reported as they are. */
  health: () => Promise<{ ok: boolean }>;
  logger: Logger;
  /** A client must finish its request headers within this (slowloris guard); default 10 s. */
  headersTimeoutMs?: number;
  /** ...and its whole request, body included; default 15 s. */
  requestTimeoutMs?: number;
  /** Counts every answer by route pattern and status. */
  metrics?: Pick<Metrics, 'httpRequest'>;
}

/** The route label of a path no route serves (the URL itself is never a label: anyone can make up URLs). */
export const UNMATCHED_ROUTE = 'unmatched';

export interface HttpListener extends DaemonComponent {
  /** http://host:port actually bound (port 0 picks a free one); the configured one before start. */
  url(): string;
  server: Server;
}

/**
 * The daemon's HTTP listener, knowing nothing of Twilio: timeouts against slow clients,
 * keep-alive, a route table with 404 and 405, GET /health, failures mapped to 500 or 503, and
 * a graceful stop that lets requests in progress get their answer.
 */
export function createHttpListener(options: HttpListenerOptions): HttpListener {
  const log = options.logger;
  const metrics = options.metrics;
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 15_000;
  // A Map, not an object: a path like /__proto__ must not find anything.
  const routes = new Map<string, HttpRoute>(options.routes.filter((r) => !r.prefix).map((r) => [r.path, r]));
  const folders = options.routes.filter((r) => r.prefix);
  const server = createServer({
    headersTimeout,
    requestTimeout,
    // Node checks those deadlines on this period (30 s by default), so a slow client could
    // otherwise hold its connection for the period plus the timeout.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))),
  }, (req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    // Any other method on /health is a 404, as it has always been (the fuzz test pins it).
    const health = path === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD');
    const route = health ? undefined : routes.get(path) ?? folders.find((r) => path.length > r.path.length && path.startsWith(r.path));
    if (metrics) {
      const label = health ? HEALTH_PATH : route ? route.path : UNMATCHED_ROUTE;
      res.once('close', () => metrics.httpRequest({ route: label, status: res.headersSent ? String(res.statusCode) : 'aborted' }));
    }
    if (health) return void answerHealth(res, options.health);
    if (!route) return respond(res, 404, 'text/plain', 'not found');
    if (!route.methods.includes(req.method ?? '')) {
      return respond(res, 405, 'text/plain', `use ${route.methods.join(' or ')}`, { Allow: route.methods.join(', ') });
    }
    route.handle(req, res).catch((error: unknown) => answerFailure(res, error, log));
  });
  server.keepAliveTimeout = 5_000;
  const sockets = new Set<Socket>();
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

  let bound: AddressInfo | undefined;
  return {
    name: 'http',
    server,
    url: () => `http://${bound?.family === 'IPv6' ? `[${bound.address}]` : bound?.address ?? options.host}:${bound?.port ?? options.port}`,
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      bound = server.address() as AddressInfo;
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

/** Never throws: a failing check is itself the answer (503). */
async function answerHealth(res: ServerResponse, health: () => Promise<{ ok: boolean }>): Promise<void> {
  const status: { ok: boolean } = await health().catch((error: unknown) => ({ ok: false, error: errorMessage(error) }));
  respond(res, status.ok ? 200 : 503, 'application/json', JSON.stringify({ status: status.ok ? 'ok' : 'error', ...status, ok: undefined }));
}

function answerFailure(res: ServerResponse, error: unknown, log: Logger): void {
  if (isRetryable(error)) {
    // The store is locked or full for now: nothing was acknowledged, and a 503 makes the
    // sender (Twilio, the only one that posts here) deliver again later; the same MessageSid
    // is then stored once. The log line keeps its wording: operators and tests look for it.
    const seconds = Math.max(1, Math.ceil((retryAfterOf(error) ?? 5000) / 1000));
    log.error({ err: errorMessage(error), code: (error as { code?: unknown }).code }, 'webhook request not stored; answered 503 so Twilio retries');
    respond(res, 503, 'text/plain', 'temporarily unavailable, retry later', { 'Retry-After': String(seconds) });
    return;
  }
  log.error({ err: errorMessage(error) }, 'webhook request failed');
  respond(res, 500, 'text/plain', 'internal error');
}
