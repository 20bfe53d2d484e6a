import { ApiError } from '@google/genai';
import { ProviderError, errorMessage, parseRetryAfter } from '../../support/errors.js';

/** What the wrapper knows about the call that failed, for an error message that says what to fix. */
export interface GeminiCallContext {
  model: string;
  baseUrl: string;
  timeoutMs: number;
  /** Retry-After header of the failed response, when one was seen. */
  retryAfterHeader?: string | null;
  /** Secrets to scrub from any text that ends up in a message. */
  secrets: string[];
}

interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<Record<string, unknown>>;
}

/**
 * Turns whatever @google/genai threw into a ProviderError. The SDK's ApiError carries the HTTP
 * status and the JSON error body as its message (Google's {error: {code, message, status,
 * details}}); RetryInfo in the details says how long to wait after a 429.
 */
export function toGeminiError(error: unknown, context: GeminiCallContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const scrub = (text: string) => context.secrets.reduce((t, s) => (s ? t.split(s).join('[redacted]') : t), text);
  if (error instanceof ApiError || (isObject(error) && typeof (error as { status?: unknown }).status === 'number' && error instanceof Error)) {
    const status = (error as ApiError).status;
    const body = parseErrorBody((error as Error).message);
    const googleMessage = scrub(body?.message ?? (error as Error).message).slice(0, 300);
    const googleStatus = body?.status;
    const reason = findDetail(body, 'google.rpc.ErrorInfo')?.reason;
    const base = { provider: 'gemini' as const, status, providerCode: googleStatus ?? status, cause: error };
    if (reason === 'API_KEY_INVALID' || status === 401 || status === 403 || /api key/i.test(googleMessage) && status === 400) {
      return new ProviderError(`Gemini refused the API key (HTTP ${status}${googleStatus ? ` ${googleStatus}` : ''}: ${googleMessage}): set gemini.apiKey in config.json or the GEMINI_API_KEY environment variable to a valid key from Google AI Studio`, { ...base, retryable: false, code: 'GEMINI_AUTH' });
    }
    if (status === 404) {
      return new ProviderError(`Gemini has no model "${context.model}" for generateContent (HTTP 404: ${googleMessage}): set gemini.model to an available model such as gemini-2.5-flash`, { ...base, retryable: false, code: 'GEMINI_MODEL' });
    }
    if (status === 429 || status === 408 || status >= 500) {
      const retryAfterMs = retryDelayMs(body) ?? parseRetryAfter(context.retryAfterHeader ?? undefined);
      const what = status === 429 ? 'Gemini is rate limiting rolplay (quota or requests per minute; lower gemini.concurrency if this persists)' : `Gemini had a server error (HTTP ${status})`;
      return new ProviderError(`${what}: ${googleMessage}`, { ...base, retryable: true, retryAfterMs });
    }
    return new ProviderError(`Gemini rejected the request (HTTP ${status}${googleStatus ? ` ${googleStatus}` : ''}): ${googleMessage}`, { ...base, retryable: false });
  }
  const name = (error as { name?: string } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new ProviderError(`Gemini did not answer within ${Math.round(context.timeoutMs / 1000)} s (gemini.timeoutSeconds)`, { provider: 'gemini', retryable: true, cause: error, code: 'GEMINI_TIMEOUT' });
  }
  const code = (error as { cause?: { code?: string } } | null)?.cause?.code;
  return new ProviderError(`cannot reach Gemini at ${context.baseUrl} (${code ?? scrub(errorMessage(error)).slice(0, 200)}): check gemini.baseUrl and the network`, { provider: 'gemini', retryable: true, cause: error, code: 'GEMINI_UNREACHABLE' });
}

function parseErrorBody(message: string): GoogleErrorBody | undefined {
  try {
    const parsed = JSON.parse(message) as unknown;
    const inner = isObject(parsed) ? (parsed as { error?: unknown }).error : undefined;
    return isObject(inner) ? (inner as GoogleErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

function findDetail(body: GoogleErrorBody | undefined, type: string): Record<string, unknown> | undefined {
  const details = Array.isArray(body?.details) ? body.details : [];
  return details.find((d) => isObject(d) && typeof d['@type'] === 'string' && (d['@type'] as string).endsWith(type));
}

/** google.rpc.RetryInfo.retryDelay is a Duration in JSON form: "37s", "1.5s". */
export function retryDelayMs(body: GoogleErrorBody | undefined): number | undefined {
  const delay = findDetail(body, 'google.rpc.RetryInfo')?.retryDelay;
  if (typeof delay === 'string') {
    const m = delay.trim().match(/^(\d+(?:\.\d+)?)s$/);
    if (m) return Math.round(Number(m[1]) * 1000);
  }
  if (isObject(delay)) {
    const d = delay as { seconds?: unknown; nanos?: unknown };
    const ms = Number(d.seconds ?? 0) * 1000 + Number(d.nanos ?? 0) / 1e6;
    if (Number.isFinite(ms)) return Math.round(ms);
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
