import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/** The hosts Graph's own links point at (the SDK's list): requests to them go to the configured base. */
export const GRAPH_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'graph.microsoft.de', 'microsoftgraph.chinacloudapi.cn', 'canary.graph.microsoft.com']);

/**
 * The last handler of the Graph client's middleware chain (after auth, retry and redirect): it
 * sends the request itself, to microsoft.graphBaseUrl. The SDK only attaches the Bearer token
 * for https Graph hosts, and Graph's nextLink/deltaLink are absolute https://graph.microsoft.com
 * URLs, so the chain works on those and this handler moves them, at the very end, to the
 * configured host (a simulator, a national cloud, a proxy). It also bounds every request's time
 * and counts requests.
 */
export class BaseUrlHandler implements Middleware {
  private readonly base: URL;
  sent = 0;

  constructor(graphBaseUrl: string, private readonly timeoutMs = 30_000) {
    this.base = new URL(graphBaseUrl);
  }

  redirect(url: string): string {
    const parsed = new URL(url);
    if (!GRAPH_HOSTS.has(parsed.hostname.toLowerCase()) || parsed.origin === this.base.origin) return url;
    const prefix = this.base.pathname.replace(/\/+$/, '');
    return `${this.base.origin}${prefix}${parsed.pathname}${parsed.search}`;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = { ...(context.options ?? {}) } as RequestInit;
    if (!options.signal) options.signal = AbortSignal.timeout(this.timeoutMs);
    this.sent++;
    try {
      context.response = await fetch(this.redirect(url), options);
    } catch (error) {
      // The SDK keeps only name and message of what is thrown here: put the errno code in both.
      const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
      const code = typeof cause?.code === 'string' ? cause.code : (error as Error).name === 'TimeoutError' ? 'ETIMEDOUT' : 'NetworkError';
      const failure = new Error(`${code}: ${typeof cause?.message === 'string' ? cause.message : (error as Error).message}`);
      failure.name = code;
      throw failure;
    }
  }
}
