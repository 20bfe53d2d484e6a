import { AsyncLocalStorage } from 'node:async_hooks';
import twilio from 'twilio';

/** Per-call scratchpad: the SDK's RestException drops response headers, so we keep Retry-After here. */
export interface CallScratch {
  retryAfter?: string;
}

/**
 * The SDK's own HTTP client (axios, Basic auth, form encoding) with two additions: every URL
 * the SDK builds on https://api.twilio.com (including next_page_uri links) is sent to the
 * configured base URL instead, and the Retry-After header of a failed response is recorded for
 * the call that is running (AsyncLocalStorage, so concurrent sends do not mix them up).
 */
type RequestClient = InstanceType<typeof twilio.RequestClient>;

export class RedirectingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string | undefined,
    private readonly scratch: AsyncLocalStorage<CallScratch>,
    options: { timeout: number },
  ) {
    // keepAlive off: a pooled socket the simulator (or a proxy) closed would fail the next send.
    super({ timeout: options.timeout, keepAlive: false });
  }

  override async request<TData>(opts: Parameters<RequestClient['request']>[0]) {
    const uri = this.baseUrl ? redirect(opts.uri, this.baseUrl) : opts.uri;
    const response = await super.request<TData>({ ...opts, uri } as Parameters<RequestClient['request']>[0] as never);
    const store = this.scratch.getStore();
    if (store && response.statusCode >= 400) {
      const headers = (response.headers ?? {}) as Record<string, unknown>;
      const value = headers['retry-after'] ?? headers['Retry-After'];
      if (typeof value === 'string') store.retryAfter = value;
    }
    return response;
  }
}

/** Keeps path and query, swaps scheme/host/port (and prefixes any base path). */
export function redirect(uri: string, baseUrl: string): string {
  const from = new URL(uri);
  const to = new URL(baseUrl);
  const basePath = to.pathname.replace(/\/+$/, '');
  return `${to.protocol}//${to.host}${basePath}${from.pathname}${from.search}`;
}
