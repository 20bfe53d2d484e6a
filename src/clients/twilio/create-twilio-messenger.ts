import { AsyncLocalStorage } from 'node:async_hooks';
import twilio from 'twilio';
import { waitOutAmbiguity } from '../ambiguous-wait.js';
import type { Logger } from '../../support/logger.js';
import { toTwilioError, type TwilioCallContext } from './twilio-error.js';
import { RedirectingRequestClient, type CallScratch } from './redirecting-request-client.js';
import { findSentMessages, type TemplateBody } from './find-sent-messages.js';
import { createMediaFetcher } from './fetch-media.js';
import type { AccountInfo, FindSentQuery, Messenger, MessagingServiceInfo, OutgoingMessage, SentLookup, SentMessage } from './messenger.js';

export interface TwilioMessengerOptions {
  accountSid: string;
  authToken: string;
  /** Our WhatsApp sender, "whatsapp:+14155238886" (the prefix is added when missing). */
  whatsappFrom: string;
  /** Send the SDK's traffic here instead of https://api.twilio.com (simulators, proxies). */
  apiBaseUrl?: string;
  /** Per-request timeout; default 15 s. */
  timeoutMs?: number;
  /**
   * Where Twilio reports each message's fate (sent, delivered, failed with 63016...): set on
   * every message created. Without it a message that fails after being accepted goes unnoticed.
   */
  statusCallbackUrl?: string;
  /** A Messaging Service (MG...) every message is sent through; its pool holds whatsappFrom. */
  messagingServiceSid?: string;
  /** Inbound media: the whole download's deadline (default 20 s) and byte limit (default 16 MB). */
  media?: { timeoutMs?: number; maxBytes?: number };
}

/** The Messenger over the real twilio SDK: the only place rolplay talks to Twilio. */
export function createTwilioMessenger(options: TwilioMessengerOptions, logger: Logger): Messenger {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const baseUrl = options.apiBaseUrl ? options.apiBaseUrl.replace(/\/+$/, '') : undefined;
  const scratch = new AsyncLocalStorage<CallScratch>();
  const client = twilio(options.accountSid, options.authToken, {
    httpClient: new RedirectingRequestClient(baseUrl, scratch, { timeout: timeoutMs }),
    // No SDK-level retries: the job runner owns retries (with backoff and Retry-After).
    autoRetry: false,
  });
  const from = withWhatsApp(options.whatsappFrom);
  const templates = new Map<string, TemplateBody>();

  async function call<T>(operation: TwilioCallContext['operation'], fn: () => Promise<T>): Promise<T> {
    const state: CallScratch = {};
    try {
      return await scratch.run(state, fn);
    } catch (error) {
      throw waitOutAmbiguity(toTwilioError(error, {
        operation,
        baseUrl: baseUrl ?? 'https://api.twilio.com',
        timeoutMs,
        retryAfterHeader: state.retryAfter,
        secrets: [options.authToken],
      }), timeoutMs);
    }
  }

  const fetchMedia = createMediaFetcher({ accountSid: options.accountSid, authToken: options.authToken, apiBaseUrl: baseUrl, ...options.media });

  return {
    fetchMedia,

    async send(message: OutgoingMessage): Promise<SentMessage> {
      // With a Messaging Service, `from` still names the sender: "You may also provide a From
      // parameter if you want to use a specific Sender from the Sender Pool" (Message resource,
      // MessagingServiceSid). That keeps the sender the one `doctor` checked, fills `from`
      // from the start (a service-picked sender leaves it null until then: the documented
      // "createWithMessagingService" example), and lets the already-sent lookup filter on From.
      const params: Parameters<typeof client.messages.create>[0] = { from, to: withWhatsApp(message.to) };
      if (options.messagingServiceSid) params.messagingServiceSid = options.messagingServiceSid;
      if (options.statusCallbackUrl) params.statusCallback = options.statusCallbackUrl;
      if (message.contentSid) {
        params.contentSid = message.contentSid;
        if (message.contentVariables) params.contentVariables = JSON.stringify(message.contentVariables);
      } else {
        params.body = message.body ?? '';
        if (message.mediaUrl) params.mediaUrl = [message.mediaUrl];
      }
      const created = await call('send', () => client.messages.create(params));
      const sid = typeof created.sid === 'string' ? created.sid : '';
      const status = typeof created.status === 'string' ? created.status : 'queued';
      logger.debug({ sid, status, template: Boolean(message.contentSid), media: Boolean(message.mediaUrl) }, 'twilio message created');
      return { sid, status };
    },

    async findSent(query: FindSentQuery): Promise<SentLookup> {
      const found = await call('list', () => findSentMessages(client, from, { ...query, to: withWhatsApp(query.to) }, logger, templates));
      return { matches: found.matches.filter((m) => m.sid !== ''), unsent: found.unsent };
    },

    async checkAccount(): Promise<AccountInfo> {
      const account = await call('account', () => client.api.v2010.accounts(options.accountSid).fetch());
      return { friendlyName: String(account.friendlyName ?? ''), status: String(account.status ?? 'unknown') };
    },

    /* GET messaging.twilio.com/v1/Services/{MG} and its ChannelSenders: the pool's WhatsApp senders. */
    async checkMessagingService(): Promise<MessagingServiceInfo | undefined> {
      const sid = options.messagingServiceSid;
      if (!sid) return undefined;
      return call('service', async () => {
        const service = await client.messaging.v1.services(sid).fetch();
        const senders: string[] = [];
        let page = (await client.messaging.v1.services(sid).channelSenders.page({ pageSize: 1000 })) as unknown as SenderPage;
        for (let n = 0; n < 20; n++) {
          for (const s of page.instances ?? []) if (typeof s.sender === 'string') senders.push(s.sender);
          if (!page.nextPageUrl) break;
          const next = await page.nextPage();
          if (!next) break;
          page = next;
        }
        return { sid, friendlyName: String(service.friendlyName ?? ''), senders };
      });
    },
  };
}

interface SenderPage {
  instances: Array<{ sender?: unknown }>;
  nextPageUrl?: string;
  nextPage(): Promise<SenderPage | undefined>;
}

function withWhatsApp(address: string): string {
  const trimmed = address.trim();
  return /^whatsapp:/i.test(trimmed) ? `whatsapp:${trimmed.slice('whatsapp:'.length)}` : `whatsapp:${trimmed}`;
}
