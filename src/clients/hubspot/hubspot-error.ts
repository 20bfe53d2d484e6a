import { ProviderError, parseRetryAfter } from '../../support/errors.js';

/**
 * Turns whatever the HubSpot SDK threw into a ProviderError the job runner understands.
 * The SDK throws ApiException {code: HTTP status, body, headers} for HTTP errors, node-fetch's
 * FetchError for network failures, and plain Errors when a reply cannot be parsed. Messages
 * name the setting or scope that fixes the problem and never include the token.
 */
export interface HubspotCall {
  /** What rolplay was doing, e.g. "search contacts by email". */
  action: string;
  /** The call creates something: a lost answer means it may have happened (ambiguous). */
  write: boolean;
  /** The scope this call needs, named when HubSpot answers 403 without saying which. */
  scope?: string;
}

const TOKEN_FIX = 'set hubspot.accessToken (or HUBSPOT_ACCESS_TOKEN) to a private app access token (HubSpot > Settings > Integrations > Private apps > Auth)';

/** HubSpot asks for 10 s after its ten-second rolling window is exhausted. */
export const TEN_SECONDLY_WAIT_MS = 10_000;
/** The search endpoints' per-second limit clears within a second or two. */
export const SECONDLY_WAIT_MS = 2_000;
/** The daily quota resets at midnight in the account's time zone: no point trying again soon. */
export const DAILY_WAIT_MS = 60 * 60_000;

export function toHubspotError(error: unknown, call: HubspotCall): ProviderError {
  if (error instanceof ProviderError) return error;
  const status = statusOf(error);
  if (status === undefined) return networkError(error, call);
  const body = bodyOf(error);
  const hubspotMessage = typeof body.message === 'string' ? body.message.slice(0, 300) : '';
  const category = typeof body.category === 'string' ? body.category : undefined;
  const base = `HubSpot could not ${call.action}`;

  if (status === 401) {
    return new ProviderError(`${base}: the access token was rejected (401${category ? ` ${category}` : ''}): ${TOKEN_FIX}`, {
      provider: 'hubspot', retryable: false, status, providerCode: category ?? 'INVALID_AUTHENTICATION', code: 'HUBSPOT_AUTH', cause: error,
    });
  }
  if (status === 403) {
    const scopes = requiredScopes(body);
    const named = scopes.length > 0 ? scopes.join(' or ') : call.scope;
    const fix = named
      ? `add the scope ${named} to the private app (HubSpot > Settings > Integrations > Private apps > Scopes), then use its token in hubspot.accessToken`
      : `check the private app's scopes (README: HubSpot set-up)${hubspotMessage ? `; HubSpot said: ${hubspotMessage}` : ''}`;
    return new ProviderError(`${base}: permission denied (403${category ? ` ${category}` : ''}): ${fix}`, {
      provider: 'hubspot', retryable: false, status, providerCode: named ?? category, code: 'HUBSPOT_SCOPE', cause: error,
    });
  }
  if (status === 429) {
    const policy = typeof body.policyName === 'string' ? body.policyName : undefined;
    const headerWait = parseRetryAfter(headerOf(error, 'retry-after'));
    let wait: number;
    if (policy === 'DAILY') wait = Math.max(DAILY_WAIT_MS, headerWait ?? 0);
    else if (policy === 'TEN_SECONDLY_ROLLING') wait = headerWait ?? TEN_SECONDLY_WAIT_MS;
    else if (/secondly limit/i.test(hubspotMessage)) wait = headerWait ?? SECONDLY_WAIT_MS;
    else wait = headerWait ?? TEN_SECONDLY_WAIT_MS;
    const what = policy === 'DAILY' ? 'the daily API limit of this HubSpot account is used up; trying again in an hour' : `rate limited${policy ? ` (${policy})` : ''}; trying again shortly`;
    return new ProviderError(`${base}: ${what}`, {
      provider: 'hubspot', retryable: true, retryAfterMs: wait, status, providerCode: policy ?? 'RATE_LIMIT', code: 'HUBSPOT_RATE_LIMIT', cause: error,
    });
  }
  if (status >= 500) {
    // A 5xx on a create may come after the record was written (gateway timeouts especially).
    return new ProviderError(`${base}: HubSpot answered ${status}${hubspotMessage ? ` (${hubspotMessage})` : ''}; will retry`, {
      provider: 'hubspot', retryable: true, retryAfterMs: parseRetryAfter(headerOf(error, 'retry-after')), status, providerCode: category, ambiguous: call.write && status !== 503, cause: error,
    });
  }
  return new ProviderError(`${base}: HubSpot answered ${status}${category ? ` ${category}` : ''}${hubspotMessage ? `: ${hubspotMessage}` : ''}`, {
    provider: 'hubspot', retryable: status === 408, status, providerCode: category, cause: error,
  });
}

function networkError(error: unknown, call: HubspotCall): ProviderError {
  const code = (error as { code?: unknown } | null)?.code;
  const codeText = typeof code === 'string' ? code : undefined;
  // Refused or unresolvable: the request never left, so a retry cannot duplicate anything.
  const neverSent = codeText === 'ECONNREFUSED' || codeText === 'ENOTFOUND' || codeText === 'EAI_AGAIN';
  const reason = codeText ?? (error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error));
  return new ProviderError(`HubSpot could not ${call.action}: no usable answer (${reason}); check hubspot.basePath and the network, will retry`, {
    provider: 'hubspot', retryable: true, providerCode: codeText, ambiguous: call.write && !neverSent, cause: error,
  });
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && code >= 100 && code < 600 ? code : undefined;
}

function bodyOf(error: unknown): Record<string, unknown> {
  const body = (error as { body?: unknown } | null)?.body;
  if (body && typeof body === 'object') return body as Record<string, unknown>;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {
      // not JSON (an HTML error page from a proxy): nothing to read
    }
  }
  return {};
}

function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as { headers?: unknown } | null)?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/** HubSpot lists the missing scopes in errors[].context.requiredGranularScopes (or requiredScopes). */
function requiredScopes(body: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const errors = Array.isArray(body.errors) ? body.errors : [];
  for (const entry of errors) {
    const context = (entry as { context?: unknown } | null)?.context;
    if (!context || typeof context !== 'object') continue;
    for (const key of ['requiredGranularScopes', 'requiredScopes']) {
      const list = (context as Record<string, unknown>)[key];
      if (Array.isArray(list)) for (const s of list) if (typeof s === 'string' && s !== '') found.add(s);
    }
  }
  return [...found];
}
