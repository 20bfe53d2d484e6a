import { AsyncLocalStorage } from 'node:async_hooks';
import twilio from 'twilio';
import { waitOutAmbiguity } from '../ambiguous-wait.js';
import type { Logger } from '../../support/logger.js';
import { toTwilioError, type TwilioCallContext } from './twilio-error.js';
import { RedirectingRequestClient, type CallScratch } from './redirecting-request-client.js';
import type { AccountInfo, FindRecentQuery, Messenger, OutgoingMessage, RecentMessage, SentMessage } from './messenger.js';

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
}

/** How far back findRecent pages through the newest-first message log before giving up. */
const MAX_PAGES = 5;
const PAGE_SIZE = 50;

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

  return {
    async send(message: OutgoingMessage): Promise<SentMessage> {
      const params: Parameters<typeof client.messages.create>[0] = { from, to: withWhatsApp(message.to) };
      if (options.statusCallbackUrl) params.statusCallback = options.statusCallbackUrl;
      if (message.contentSid) {
        params.contentSid = message.contentSid;
        if (message.contentVariables) params.contentVariables = JSON.stringify(message.contentVariables);
      } else {
        params.body = message.body ?? '';
      }
      const created = await call('send', () => client.messages.create(params));
      const sid = typeof created.sid === 'string' ? created.sid : '';
      const status = typeof created.status === 'string' ? created.status : 'queued';
      logger.debug({ sid, status, template: Boolean(message.contentSid) }, 'twilio message created');
      return { sid, status };
    },

    /*
     * Twilio lists newest first. We page by recipient and sender only and stop at `since`:
     * a DateSent filter would hide messages still queued (their date_sent is null), which are
     * exactly the ones an ambiguous send leaves behind.
     */
    async findRecent(query: FindRecentQuery): Promise<RecentMessage[]> {
      const to = withWhatsApp(query.to);
      return call('list', async () => {
        const found: RecentMessage[] = [];
        let page = (await client.messages.page({ to, from, pageSize: PAGE_SIZE })) as unknown as ListPage;
        for (let n = 0; n < MAX_PAGES; n++) {
          let reachedOlder = false;
          for (const m of page.instances ?? []) {
            const created = toEpoch(m.dateCreated);
            if (created !== null && created < query.since) {
              reachedOlder = true;
              continue;
            }
            const body = typeof m.body === 'string' ? m.body : '';
            if (query.bodyContains && !body.includes(query.bodyContains)) continue;
            found.push({ sid: String(m.sid ?? ''), status: String(m.status ?? ''), body, dateCreated: created, errorCode: typeof m.errorCode === 'number' ? m.errorCode : null });
          }
          if (reachedOlder || !page.nextPageUrl) break;
          const next = await page.nextPage();
          if (!next) break;
          page = next;
        }
        return found.filter((m) => m.sid !== '');
      });
    },

    async checkAccount(): Promise<AccountInfo> {
      const account = await call('account', () => client.api.v2010.accounts(options.accountSid).fetch());
      return { friendlyName: String(account.friendlyName ?? ''), status: String(account.status ?? 'unknown') };
    },
  };
}

/** The part of the SDK's MessagePage we use (its nextPage() type is wider than the page's). */
interface ListPage {
  instances: Array<{ sid?: unknown; status?: unknown; body?: unknown; dateCreated?: unknown; errorCode?: unknown }>;
  nextPageUrl?: string;
  nextPage(): Promise<ListPage | undefined>;
}

function withWhatsApp(address: string): string {
  const trimmed = address.trim();
  return /^whatsapp:/i.test(trimmed) ? `whatsapp:${trimmed.slice('whatsapp:'.length)}` : `whatsapp:${trimmed}`;
}

function toEpoch(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}
