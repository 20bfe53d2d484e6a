import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * MSAL's network client for an http:// authority host (a simulator): MSAL only accepts https
 * authorities, so it is configured with login.microsoftonline.com and this client sends each
 * of its requests to the real (loopback) host instead. Same contract as MSAL's own client:
 * JSON body, lower-case header names, errors thrown only when no answer came.
 */
export class LoopbackNetworkClient implements INetworkModule {
  constructor(private readonly standIn: URL, private readonly target: URL, private readonly timeoutMs = 30_000) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  /** Where a request MSAL addressed to the stand-in host really goes. */
  redirect(url: string): string {
    const parsed = new URL(url);
    if (parsed.host !== this.standIn.host) return url;
    const prefix = this.target.pathname.replace(/\/+$/, '');
    return `${this.target.origin}${prefix}${parsed.pathname}${parsed.search}`;
  }

  private async send<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
    const response = await fetch(this.redirect(url), {
      method,
      headers: options?.headers,
      body: method === 'POST' ? options?.body ?? '' : undefined,
      signal: AbortSignal.timeout(timeout ?? this.timeoutMs),
    });
    const text = await response.text();
    let body: unknown = {};
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      // A proxy's HTML error page: MSAL reads status and an empty body as a server error.
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    return { status: response.status, headers, body: body as T };
  }
}
