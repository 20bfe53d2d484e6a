import { ProviderError, parseRetryAfter } from '../../support/errors.js';
import { SYNC_RESET } from './calendar-source.js';

/**
 * Turns what @microsoft/microsoft-graph-client threw into a ProviderError. The SDK throws
 * GraphError {statusCode, code, message, headers}; statusCode -1 means no HTTP answer (network
 * failure, timeout). Messages name the setting or the permission that fixes the problem.
 */
export interface GraphCall {
  /** What rolplay was doing, e.g. "read the calendar of coach-bot@…". */
  action: string;
  /** The call changes something (an accept): a lost answer may mean it happened. */
  write: boolean;
  /** The application permission the call needs. */
  permission: 'Calendars.Read' | 'Calendars.ReadWrite';
  botEmail: string;
}

const CREDENTIALS_FIX = 'check microsoft.tenantId, microsoft.clientId and microsoft.clientSecret (or the certificate)';

export function toGraphError(error: unknown, call: GraphCall): ProviderError {
  if (error instanceof ProviderError) return error;
  const status = numberOf((error as { statusCode?: unknown } | null)?.statusCode);
  const code = stringOf((error as { code?: unknown } | null)?.code);
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
  const retryAfterMs = parseRetryAfter(headerOf(error, 'retry-after'));
  const base = `Microsoft Graph could not ${call.action}`;

  if (status === undefined || status < 100) {
    return new ProviderError(`${base}: no answer (${code && code !== 'Error' && code !== 'TypeError' ? `${code}: ` : ''}${message}); check microsoft.graphBaseUrl and the network, will retry`, {
      provider: 'graph', retryable: true, providerCode: code ?? undefined, ambiguous: call.write, cause: error,
    });
  }
  if (status === 410 || /^(syncstatenotfound|resyncrequired|syncstateinvalid)$/i.test(code ?? '')) {
    return new ProviderError(`${base}: Graph no longer knows the delta link (${status} ${code ?? ''}); a full resync follows`, {
      provider: 'graph', retryable: true, status, providerCode: code ?? undefined, code: SYNC_RESET, cause: error,
    });
  }
  if (status === 401) {
    return new ProviderError(`${base}: the access token was refused (401 ${code ?? ''}: ${message}); ${CREDENTIALS_FIX}`, {
      provider: 'graph', retryable: false, status, providerCode: code ?? undefined, code: 'GRAPH_AUTH', cause: error,
    });
  }
  if (status === 403) {
    return new ProviderError(`${base}: access denied (403 ${code ?? ''}). Grant the app the ${call.permission} application permission with admin consent in Entra ID, and make sure the Exchange RBAC for Applications scope includes ${call.botEmail} (README: Microsoft set-up)`, {
      provider: 'graph', retryable: false, status, providerCode: code ?? undefined, code: 'GRAPH_PERMISSION', cause: error,
    });
  }
  if (status === 404 && /invaliduser|mailboxnotenabled|resourcenotfound/i.test(code ?? '')) {
    return new ProviderError(`${base}: Graph does not know the mailbox ${call.botEmail} (${code}): set bot.email to the bot mailbox's address`, {
      provider: 'graph', retryable: false, status, providerCode: code ?? undefined, code: 'GRAPH_MAILBOX', cause: error,
    });
  }
  if (status === 429 || status === 503 || status === 504) {
    return new ProviderError(`${base}: Graph is throttling or busy (${status}${code ? ` ${code}` : ''}); will retry${retryAfterMs !== undefined ? ` in ${Math.ceil(retryAfterMs / 1000)} s` : ''}`, {
      provider: 'graph', retryable: true, retryAfterMs, status, providerCode: code ?? undefined, ambiguous: call.write && status !== 429, cause: error,
    });
  }
  if (status >= 500) {
    return new ProviderError(`${base}: Graph answered ${status}${code ? ` ${code}` : ''} (${message}); will retry`, {
      provider: 'graph', retryable: true, retryAfterMs, status, providerCode: code ?? undefined, ambiguous: call.write, cause: error,
    });
  }
  return new ProviderError(`${base}: Graph answered ${status}${code ? ` ${code}` : ''}: ${message}`, {
    provider: 'graph', retryable: status === 408, status, providerCode: code ?? undefined, cause: error,
  });
}

/**
 * MSAL's errors from the token endpoint: AuthError {errorCode, errorMessage, subError} and
 * ServerError (adds status); an AADSTS number in the message tells which setting is wrong.
 */
export function toTokenError(error: unknown, authorityHost: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const errorCode = stringOf((error as { errorCode?: unknown } | null)?.errorCode) ?? '';
  const status = numberOf((error as { status?: unknown } | null)?.status);
  const text = stringOf((error as { errorMessage?: unknown } | null)?.errorMessage) ?? (error instanceof Error ? error.message : String(error));
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1];
  const summary = text.split(/ Trace ID:|\r?\n/)[0]!.slice(0, 240);
  const fail = (fix: string, code: string) => new ProviderError(`Microsoft sign-in failed (${errorCode || status || 'error'}${aadsts ? ` AADSTS${aadsts}` : ''}): ${fix}`, {
    provider: 'microsoft', retryable: false, status, providerCode: aadsts ? `AADSTS${aadsts}` : errorCode, code, cause: error,
  });

  if (aadsts === '90002' || aadsts === '900023' || aadsts === '90013') return fail('the tenant was not found: set microsoft.tenantId (or MICROSOFT_TENANT_ID) to the Directory (tenant) ID of the app registration', 'MICROSOFT_TENANT');
  if (aadsts === '700016' || errorCode === 'unauthorized_client') return fail('the application was not found in that tenant: set microsoft.clientId (or MICROSOFT_CLIENT_ID) to the Application (client) ID', 'MICROSOFT_CLIENT_ID');
  if (aadsts === '7000222') return fail('the client secret has expired: create a new one and set microsoft.clientSecret (or MICROSOFT_CLIENT_SECRET)', 'MICROSOFT_SECRET');
  if (errorCode === 'invalid_client' || aadsts === '7000215' || aadsts === '700027') {
    return fail('the credentials were refused: set microsoft.clientSecret (or MICROSOFT_CLIENT_SECRET) to the secret VALUE (not its ID), or check microsoft.certificate', 'MICROSOFT_SECRET');
  }
  if (errorCode === 'invalid_scope') return fail(`the Graph scope was refused (${summary}): check microsoft.graphBaseUrl`, 'MICROSOFT_SCOPE');
  const transient = (status !== undefined && (status === 429 || status >= 500)) || /network|timeout|timed_out|temporarily|ECONN|ENOTFOUND|EAI_AGAIN/i.test(`${errorCode} ${text}`) || /^\d+( \d+)*$/.test(errorCode);
  if (transient) {
    return new ProviderError(`Microsoft sign-in is unavailable for now (${errorCode || status || 'network'}: ${summary}); check microsoft.authorityHost (${authorityHost}) and the network, will retry`, {
      provider: 'microsoft', retryable: true, status, providerCode: aadsts ? `AADSTS${aadsts}` : errorCode, cause: error,
    });
  }
  return fail(`${summary}; ${CREDENTIALS_FIX}`, 'MICROSOFT_AUTH');
}

function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as { headers?: unknown } | null)?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
