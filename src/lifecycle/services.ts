import type { Config } from '../config/schema.js';
import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import type { Store } from '../store/open-store.js';
import type { Messenger } from '../clients/twilio/messenger.js';
import type { Crm } from '../clients/hubspot/crm.js';
import type { LanguageModel } from '../clients/gemini/language-model.js';
import type { SpeechModel } from '../clients/gemini/speech-model.js';
import type { CalendarSource } from '../clients/graph/calendar-source.js';
import type { Metrics } from '../support/metrics.js';
import type { JobQueue } from './jobs/job-queue.js';

/**
 * What the use cases depend on, built once by the composition root (daemon/build-app.ts).
 * A client is absent when its service is not configured; use cases say so instead of failing.
 */
export interface Services {
  config: Config;
  clock: Clock;
  logger: Logger;
  store: Store;
  queue: JobQueue;
  /** Twilio WhatsApp sender. */
  messenger?: Messenger;
  /** HubSpot CRM (contacts, notes, tasks, client context). */
  crm?: Crm;
  /** Gemini (plans, chat, role-play, structuring outcomes). */
  model?: LanguageModel;
  /** Gemini speech generation, for voice replies (absent with conversation.voiceReplies off). */
  speech?: SpeechModel;
  /** Microsoft Graph: the bot mailbox's calendar (delta reads, accepting invitations). */
  calendar?: CalendarSource;
  /** What the daemon reports on GET /metrics (build-app always sets it; a no-op with server.metrics off). */
  metrics?: Metrics;
}
