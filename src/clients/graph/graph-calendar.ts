import {
  AuthenticationHandler, Client, RedirectHandler, RedirectHandlerOptions, RetryHandler, RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import type { Config } from '../../config/schema.js';
import { parseRetryAfter } from '../../support/errors.js';
import type { Logger } from '../../support/logger.js';
import { parseGraphEvent, type CalendarChange } from '../../domain/calendar-event.js';
import { BaseUrlHandler, GRAPH_HOSTS } from './base-url-handler.js';
import type { CalendarSource, DeltaPage } from './calendar-source.js';
import { toGraphError, type GraphCall } from './graph-error.js';
import { createMsalTokenProvider, type AccessTokenProvider } from './msal-token-provider.js';

export interface GraphCalendarOptions {
  botEmail: string;
  /** microsoft.graphBaseUrl: https://graph.microsoft.com, a national cloud, or a simulator. */
  graphBaseUrl: string;
  tokens: AccessTokenProvider;
  /** Prefer: odata.maxpagesize for delta pages. */
  pageSize?: number;
  /** The SDK waits out a 429/503/504 inline when Retry-After is at most this; longer waits surface as errors. */
  maxInlineRetryAfterSeconds?: number;
  maxRetries?: number;
  timeoutMs?: number;
  logger: Logger;
}

const PUBLIC_BASE = 'https://graph.microsoft.com';

/**
 * The bot's calendar over @microsoft/microsoft-graph-client. The middleware chain is the SDK's
 * own auth, retry and redirect handlers, ending in BaseUrlHandler, which sends each request to
 * microsoft.graphBaseUrl. Every page is asked for in UTC (Prefer: outlook.timezone) and read
 * into domain changes one event at a time, so one odd event never spoils a page.
 */
export function createGraphCalendar(options: GraphCalendarOptions): CalendarSource {
  const sender = new BaseUrlHandler(options.graphBaseUrl, options.timeoutMs);
  const base = new URL(options.graphBaseUrl);
  // Relative paths and Graph's links must look like Graph URLs for the auth handler to add the token.
  const clientBase = GRAPH_HOSTS.has(base.hostname.toLowerCase()) && base.protocol === 'https:' ? base.origin : PUBLIC_BASE;
  const maxInline = options.maxInlineRetryAfterSeconds ?? 10;
  const retry = new RetryHandlerOptions(1, options.maxRetries ?? 3, (_delay, _attempt, _request, _options, response) => {
    // Without Retry-After the poller's own backoff decides (no blind inline sleeping).
    const wait = parseRetryAfter(response.headers.get('Retry-After'));
    return wait !== undefined && wait <= maxInline * 1000;
  });
  const client = Client.initWithMiddleware({
    baseUrl: clientBase,
    defaultVersion: 'v1.0',
    middleware: [
      new AuthenticationHandler({ getAccessToken: () => options.tokens.getAccessToken() }),
      new RetryHandler(retry),
      new RedirectHandler(new RedirectHandlerOptions()),
      sender,
    ],
  });
  const bot = options.botEmail.toLowerCase();
  const userPath = `/users/${encodeURIComponent(bot)}`;
  const prefer = `odata.maxpagesize=${options.pageSize ?? 100}, outlook.timezone="UTC"`;
  const read = (action: string): GraphCall => ({ action, write: false, permission: 'Calendars.Read', botEmail: bot });

  async function call<T>(info: GraphCall, fn: () => Promise<T>): Promise<T> {
    try {
      // Asked first so a sign-in failure arrives as itself, not wrapped by the SDK (MSAL answers from its cache).
      await options.tokens.getAccessToken();
      return await fn();
    } catch (error) {
      throw toGraphError(error, info);
    }
  }

  async function page(pathOrLink: string, action: string): Promise<DeltaPage> {
    const body = await call(read(action), () => client.api(pathOrLink).header('Prefer', prefer).get() as Promise<unknown>);
    return toPage(body, options.logger);
  }

  return {
    startSync(window) {
      const query = `startDateTime=${new Date(window.start).toISOString()}&endDateTime=${new Date(window.end).toISOString()}`;
      return page(`${userPath}/calendarView/delta?${query}`, `read the calendar of ${bot}`);
    },

    followLink(link) {
      return page(asGraphUrl(link, base, clientBase), `read the calendar changes of ${bot}`);
    },

    async getEvent(eventId) {
      const info = read(`read event ${eventId.slice(0, 24)}… of ${bot}`);
      try {
        const body = await call(info, () => client.api(`${userPath}/events/${encodeURIComponent(eventId)}`).header('Prefer', 'outlook.timezone="UTC"').get() as Promise<unknown>);
        const change = parseGraphEvent(body);
        return change.kind === 'upsert' ? change.event : undefined;
      } catch (error) {
        if ((error as { status?: number }).status === 404 && /itemnotfound/i.test(String((error as { providerCode?: unknown }).providerCode))) return undefined;
        throw error;
      }
    },

    async acceptEvent(eventId) {
      const info: GraphCall = { action: `accept event ${eventId.slice(0, 24)}… for ${bot}`, write: true, permission: 'Calendars.ReadWrite', botEmail: bot };
      // Answers 202 with no body; on Node the SDK resolves to an empty stream, which is ignored.
      await call(info, () => client.api(`${userPath}/events/${encodeURIComponent(eventId)}/accept`).post({ sendResponse: true }) as Promise<unknown>);
    },

    requestCount: () => sender.sent,
  };
}

/** The calendar client from config (credentials, hosts); call it only when isConfigured.microsoft(config). */
export function createGraphCalendarFromConfig(config: Config, logger: Logger): CalendarSource {
  const m = config.microsoft;
  const graphHost = new URL(m.graphBaseUrl).hostname.toLowerCase();
  const scope = `${GRAPH_HOSTS.has(graphHost) ? `https://${graphHost}` : PUBLIC_BASE}/.default`;
  const tokens = createMsalTokenProvider({
    tenantId: m.tenantId,
    clientId: m.clientId,
    clientSecret: m.clientSecret || undefined,
    certificate: m.certificate.privateKeyPath ? m.certificate : undefined,
    authorityHost: m.authorityHost,
    scope,
    timeoutMs: m.timeoutSeconds * 1000,
    logger: logger.child({ component: 'msal' }),
  });
  return createGraphCalendar({ botEmail: config.bot.email, graphBaseUrl: m.graphBaseUrl, tokens, timeoutMs: m.timeoutSeconds * 1000, logger });
}

function toPage(body: unknown, logger: Logger): DeltaPage {
  const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const value = Array.isArray(record.value) ? record.value : [];
  const changes: CalendarChange[] = [];
  for (const raw of value) {
    try {
      changes.push(parseGraphEvent(raw));
    } catch (error) {
      // parseGraphEvent does not throw; this guards the page against a future bug in it.
      logger.warn({ err: (error as Error).message }, 'could not read an event of a delta page');
      changes.push({ kind: 'invalid', id: typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : null, reason: 'unreadable' });
    }
  }
  const nextLink = typeof record['@odata.nextLink'] === 'string' ? record['@odata.nextLink'] : undefined;
  const deltaLink = typeof record['@odata.deltaLink'] === 'string' ? record['@odata.deltaLink'] : undefined;
  return { changes, nextLink, deltaLink };
}

/**
 * A link as the SDK can follow it: Graph's own https links as they are; a link on the
 * configured http:// base (a simulator that answers with its own address) rewritten onto the
 * public host, which BaseUrlHandler sends back to the simulator.
 */
function asGraphUrl(link: string, base: URL, clientBase: string): string {
  try {
    const parsed = new URL(link);
    if (parsed.protocol === 'http:' && parsed.origin === base.origin) {
      const prefix = base.pathname.replace(/\/+$/, '');
      const path = prefix && parsed.pathname.startsWith(prefix) ? parsed.pathname.slice(prefix.length) : parsed.pathname;
      return `${clientBase}${path}${parsed.search}`;
    }
  } catch {
    // not absolute: a path the SDK resolves against its base
  }
  return link;
}
