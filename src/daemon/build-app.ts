import type { Config } from '../config/schema.js';
import { isConfigured } from '../config/schema.js';
import { systemClock, type Clock } from '../support/clock.js';
import { errorMessage } from '../support/errors.js';
import type { Logger } from '../support/logger.js';
import { noopMetrics, type Metrics } from '../support/metrics.js';
import { openStore, type Store } from '../store/open-store.js';
import { createTwilioMessenger } from '../clients/twilio/create-twilio-messenger.js';
import { createHubspotCrm } from '../clients/hubspot/hubspot-crm.js';
import { createGeminiModelFromConfig } from '../clients/gemini/gemini-model.js';
import { createGeminiSpeechFromConfig } from '../clients/gemini/gemini-speech.js';
import { geminiConnectionFromConfig } from '../clients/gemini/gemini-connection.js';
import { createGraphCalendarFromConfig } from '../clients/graph/graph-calendar.js';
import { createJobQueue } from '../lifecycle/jobs/job-queue.js';
import type { Services } from '../lifecycle/services.js';
import { allJobs, bindJobs } from '../lifecycle/all-jobs.js';
import { payloadIf } from '../lifecycle/jobs/job-payload.js';
import { alertAdmin } from '../lifecycle/whatsapp/alert-admin.js';
import { JobRunner } from './job-runner.js';
import { statusCallbackUrl } from './http/twilio-routes.js';

export interface BuildAppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** An already open store (tests); otherwise opened from config. */
  store?: Store;
  /** Replace clients built from config (tests pass fakes or simulator-backed ones). */
  clients?: Partial<Omit<Services, 'config' | 'clock' | 'logger' | 'store' | 'queue' | 'metrics'>>;
  /**
   * `rolplay start` (not --once): with server.metrics on, build the Prometheus registry that
   * GET /metrics serves. Other commands never load prom-client.
   */
  serveMetrics?: boolean;
}

export interface App {
  services: Services & { metrics: Metrics };
  runner: JobRunner;
  /** The text exposition for GET /metrics; absent when metrics are not served. */
  scrapeMetrics?: () => Promise<{ contentType: string; body: string }>;
  close(): Promise<void>;
}

/** The composition root: config, clock, logger and store in; the object graph out. */
export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const store = options.store ?? (await openStore({ databaseUrl: config.database.url, dataDir: config.dataDir }));
  // Assigned once below; the queue needs a way to wake the runner it is handed to.
  // eslint-disable-next-line prefer-const
  let runner: JobRunner | undefined;
  const prometheus = options.serveMetrics && config.server.metrics
    ? (await import('./metrics/prometheus-metrics.js')).createPrometheusMetrics({
        jobCounts: () => store.jobs.countByKindAndStatus(),
        kinds: allJobs.map((j) => j.kind.name),
      })
    : undefined;
  const metrics: Metrics = prometheus ?? noopMetrics;
  // One Gemini client and one gemini.concurrency gate for text, transcription and speech.
  const gemini = isConfigured.gemini(config) ? geminiConnectionFromConfig(config) : undefined;
  const queue = createJobQueue(store, clock, config.jobs.maxAttempts, (lane, keyed) => runner?.wake(lane === undefined ? undefined : [lane], { keyed }));
  const services: Services & { metrics: Metrics } = {
    config,
    clock,
    logger,
    store,
    queue,
    metrics,
    messenger: isConfigured.twilio(config)
      ? createTwilioMessenger({
          accountSid: config.twilio.accountSid,
          authToken: config.twilio.authToken,
          whatsappFrom: config.twilio.whatsappFrom,
          messagingServiceSid: config.twilio.messagingServiceSid || undefined,
          apiBaseUrl: config.twilio.apiBaseUrl || undefined,
          timeoutMs: config.twilio.timeoutSeconds * 1000,
          // A voice note download is one redirect and up to 16 MB: twice an API call's time.
          media: { timeoutMs: config.twilio.timeoutSeconds * 2000 },
          // Twilio reports each message's fate there (a text refused later with 63016, say).
          statusCallbackUrl: config.server.publicUrl ? statusCallbackUrl(config.server.publicUrl) : undefined,
        }, logger.child({ component: 'twilio' }))
      : undefined,
    crm: isConfigured.hubspot(config)
      ? createHubspotCrm({ accessToken: config.hubspot.accessToken, basePath: config.hubspot.basePath || undefined, timeoutMs: config.hubspot.timeoutSeconds * 1000, logger: logger.child({ component: 'hubspot' }) })
      : undefined,
    model: gemini ? createGeminiModelFromConfig(config, clock, logger.child({ component: 'gemini' }), (usage) => metrics.geminiTokens(usage), gemini) : undefined,
    // Only when replies may be spoken: nothing else calls the speech model.
    speech: gemini && config.conversation.voiceReplies !== 'off' ? createGeminiSpeechFromConfig(config, logger.child({ component: 'gemini-speech' }), gemini) : undefined,
    calendar: isConfigured.microsoft(config) ? createGraphCalendarFromConfig(config, logger.child({ component: 'graph' })) : undefined,
    ...options.clients,
  };
  const jobs = bindJobs(services);
  runner = new JobRunner({
    store,
    clock,
    logger: logger.child({ component: 'jobs' }),
    jobs,
    concurrency: config.jobs.concurrency,
    leaseMs: config.jobs.leaseSeconds * 1000,
    backoff: { baseMs: config.jobs.retryBaseSeconds * 1000, maxMs: config.jobs.retryMaxSeconds * 1000 },
    metrics,
    onFailed: async (job, error) => {
      const kind = jobs.find((j) => j.kind.name === job.kind)?.kind;
      const payload = kind ? payloadIf(kind, job) : undefined;
      if (kind?.alertOnFailure && payload !== undefined && !kind.alertOnFailure(payload)) return;
      await alertAdmin(services, `job-failed:${job.id}`, `job ${job.kind} #${job.id}${job.meeting_id ? ` (meeting ${job.meeting_id})` : ''} failed: ${errorMessage(error)}`);
    },
  });
  return {
    services,
    runner,
    scrapeMetrics: prometheus?.scrape,
    close: async () => {
      await runner?.stop();
      if (!options.store) await store.close();
    },
  };
}
