import { ProviderError } from '../support/errors.js';

/**
 * A write whose answer never came may still be landing at the provider: the client gave up
 * after `timeoutMs`, not the server. Looking for it (Twilio's message log, HubSpot's search)
 * sooner than that could miss it, and the resend would duplicate it; so the retry of an
 * ambiguous failure waits at least as long as the client waited. Other errors pass unchanged.
 */
export function waitOutAmbiguity(error: ProviderError, timeoutMs: number): ProviderError {
  if (!error.ambiguous || (error.retryAfterMs ?? 0) >= timeoutMs) return error;
  return new ProviderError(error.message, {
    provider: error.provider,
    retryable: error.retryable,
    retryAfterMs: timeoutMs,
    status: error.status,
    providerCode: error.providerCode,
    ambiguous: true,
    code: error.code,
    exitCode: error.exitCode,
    cause: error.cause,
  });
}
