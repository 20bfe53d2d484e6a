import { verifyTwilioSignature } from '../clients/twilio/verify-signature.js';
import { receiveInbound } from '../lifecycle/whatsapp/receive-inbound.js';
import { receiveDeliveryStatus } from '../lifecycle/whatsapp/receive-delivery-status.js';
import { cachedHealthStatus } from '../lifecycle/doctor/health-status.js';
import { createBatchedEnqueue } from '../lifecycle/whatsapp/batched-enqueue.js';
import type { App } from './build-app.js';
import { createHttpListener, type HttpListener, type HttpListenerOptions } from './http/http-listener.js';
import { WEBHOOK_PATH, publicUrlFor, statusCallbackUrl, twilioRoutes } from './http/twilio-routes.js';
import { METRICS_PATH, metricsRoute } from './http/metrics-route.js';
import { mediaRoute } from './http/media-route.js';
import { voiceRepliesProblem } from '../lifecycle/whatsapp/voice-reply.js';

/**
 * The HTTP listener wired from config: server.host/port, the Twilio routes with signatures
 * checked with twilio.authToken against server.publicUrl, inbound messages and message status
 * callbacks handed to the lifecycle, and /health from the store.
 * `timeouts` shortens the slow-client limits (tests); the defaults suit production.
 */
export function createWebhookComponent(app: App, timeouts: Pick<HttpListenerOptions, 'headersTimeoutMs' | 'requestTimeoutMs'> = {}): HttpListener {
  const { config, logger } = app.services;
  const log = logger.child({ component: 'http' });
  const authToken = config.twilio.authToken;
  const enqueue = createBatchedEnqueue(app.services);
  const scrape = app.scrapeMetrics;
  const listener = createHttpListener({
    host: config.server.host,
    port: config.server.port,
    routes: [...twilioRoutes({
      publicUrl: config.server.publicUrl,
      maxBodyBytes: config.server.maxBodyBytes,
      validateSignatures: config.twilio.validateSignatures,
      verifySignature: (check) => verifyTwilioSignature({ authToken, ...check }),
      onInbound: (params, receivedAt) => receiveInbound(app.services, params, enqueue, receivedAt),
      onStatus: (params) => receiveDeliveryStatus({ ...app.services, logger: log }, params),
      logger: log,
      now: () => app.services.clock.now(),
    }),
    // Spoken replies, for Twilio to fetch; served by whichever daemon Twilio reaches (the clips are in the store).
    mediaRoute({ find: (id) => app.services.store.voiceMedia.get(id, app.services.clock.now()) }),
    ...(scrape ? [metricsRoute({ token: config.server.metricsToken, scrape, logger: log })] : [])],
    health: cachedHealthStatus(app.services),
    logger: log,
    metrics: app.services.metrics,
    ...timeouts,
  });
  const start = listener.start.bind(listener);
  listener.start = async () => {
    if (!config.twilio.validateSignatures) {
      log.warn('twilio.validateSignatures is false: anyone who can reach this port can post WhatsApp messages as any user');
    } else if (authToken === '' || config.server.publicUrl === '') {
      log.warn('the WhatsApp webhook will refuse every message until server.publicUrl and twilio.authToken (TWILIO_AUTH_TOKEN) are set');
    }
    const voiceProblem = voiceRepliesProblem(config);
    if (voiceProblem) log.warn(voiceProblem);
    await start();
    const base = config.server.publicUrl || listener.url();
    const webhookUrl = publicUrlFor(base, WEBHOOK_PATH);
    // Which address and port (the one bound: port 0 picks one), and the URL to give Twilio.
    log.info({ listening: listener.url(), url: webhookUrl, statusCallback: statusCallbackUrl(base) }, `listening on ${listener.url()}; Twilio webhook URL ${webhookUrl}`);
    if (!scrape) return;
    const metricsUrl = listener.url() + METRICS_PATH;
    if (config.server.metricsToken !== '' || /^(127\.|::1$|localhost$)/.test(config.server.host)) {
      log.info({ url: metricsUrl, bearerToken: config.server.metricsToken !== '' }, 'serving Prometheus metrics');
    } else {
      log.warn({ url: metricsUrl }, 'GET /metrics answers anyone who can reach this port: set server.metricsToken (ROLPLAY_SERVER_METRICS_TOKEN) or keep the port private');
    }
  };
  return listener;
}
