import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { errorMessage } from '../../support/errors.js';
import type { Logger } from '../../support/logger.js';
import type { HttpRoute } from './http-listener.js';
import { respond } from './respond.js';

export const METRICS_PATH = '/metrics';

export interface MetricsRouteOptions {
  /** server.metricsToken: "" serves anyone who can reach the port. */
  token: string;
  scrape: () => Promise<{ contentType: string; body: string }>;
  logger: Logger;
}

/**
 * GET /metrics for Prometheus. With server.metricsToken set, only `Authorization: Bearer
 * <token>` is served; anything else gets 401 with a WWW-Authenticate challenge (RFC 6750 §3:
 * `error="invalid_token"` when a token was sent but is not the one). The token is compared in
 * constant time, as SHA-256 digests so that its length does not show either.
 */
export function metricsRoute(options: MetricsRouteOptions): HttpRoute {
  const expected = options.token === '' ? undefined : digest(options.token);
  return {
    path: METRICS_PATH,
    methods: ['GET'],
    async handle(req, res) {
      if (expected) {
        const given = bearerToken(req);
        if (given === undefined || !timingSafeEqual(digest(given), expected)) {
          const challenge = `Bearer realm="rolplay metrics"${given === undefined ? '' : ', error="invalid_token"'}`;
          return respond(res, 401, 'text/plain', 'unauthorized: send Authorization: Bearer <server.metricsToken>', { 'WWW-Authenticate': challenge });
        }
      }
      let scraped: { contentType: string; body: string };
      try {
        scraped = await options.scrape();
      } catch (error) {
        // The job count could not be read (store locked or gone): Prometheus records the
        // scrape as failed (up == 0) and tries again at its next interval.
        options.logger.warn({ err: errorMessage(error) }, 'metrics scrape failed: the job counts could not be read');
        return respond(res, 503, 'text/plain', 'metrics unavailable: the store could not be read');
      }
      const { contentType, body } = scraped;
      // prom-client's content type already names its charset; respond() would add another.
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
      res.end(body);
    },
  };
}

/** The credentials of `Authorization: Bearer <token>` (the scheme is case-insensitive, RFC 7235 §2.1). */
function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
