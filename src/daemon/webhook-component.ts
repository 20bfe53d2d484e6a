import { verifyTwilioSignature } from '../clients/twilio/verify-signature.js';
import { receiveInbound } from '../lifecycle/whatsapp/receive-inbound.js';
import { receiveDeliveryStatus } from '../lifecycle/whatsapp/receive-delivery-status.js';
import { cachedHealthStatus } from '../lifecycle/doctor/health-status.js';
import { createBatchedEnqueue } from '../lifecycle/whatsapp/batched-enqueue.js';
import type { App } from './build-app.js';
import { createHttpServer, type HttpServer, type HttpServerOptions } from './http-server.js';

/**
 * The HTTP listener wired from config: server.host/port, signatures checked with
 * twilio.authToken against server.publicUrl, inbound messages and message status callbacks
 * handed to the lifecycle.
 * `timeouts` shortens the slow-client limits (tests); the defaults suit production.
 */
export function createWebhookComponent(app: App, timeouts: Pick<HttpServerOptions, 'headersTimeoutMs' | 'requestTimeoutMs'> = {}): HttpServer {
  const { config, logger } = app.services;
  const log = logger.child({ component: 'http' });
  const authToken = config.twilio.authToken;
  const enqueue = createBatchedEnqueue(app.services);
  const server = createHttpServer({
    host: config.server.host,
    port: config.server.port,
    publicUrl: config.server.publicUrl,
    maxBodyBytes: config.server.maxBodyBytes,
    validateSignatures: config.twilio.validateSignatures,
    verifySignature: (check) => verifyTwilioSignature({ authToken, ...check }),
    onInbound: (params) => receiveInbound(app.services, params, enqueue),
    onStatus: (params) => receiveDeliveryStatus({ ...app.services, logger: log }, params),
    health: cachedHealthStatus(app.services),
    logger: log,
    ...timeouts,
  });
  const start = server.start.bind(server);
  server.start = async () => {
    if (config.twilio.validateSignatures && (authToken === '' || config.server.publicUrl === '')) {
      log.warn('the WhatsApp webhook will refuse every message until server.publicUrl and twilio.authToken (TWILIO_AUTH_TOKEN) are set');
    }
    await start();
  };
  return server;
}
