import { ProviderError, RolplayError } from './errors.js';

/**
 * What the daemon reports for GET /metrics, as plain calls: the use cases, the job runner, the
 * poller, the HTTP listener and the Gemini client report through this interface and never see
 * prom-client (daemon/metrics/ turns the calls into Prometheus series). With server.metrics off
 * the same interface does nothing (noopMetrics).
 */
export interface Metrics {
  /** A claimed job came to an outcome (done, retry, failed...) after `seconds`; `attempts` counts this one. */
  jobFinished(event: { kind: string; result: string; seconds: number; attempts: number }): void;
  /** A job gave up for good; `provider` is "none" when the failure was not a provider's. */
  permanentFailure(event: { provider: string; code: string }): void;
  /** An HTTP request was answered (`route` is the route's pattern, never the URL asked for). */
  httpRequest(event: { route: string; status: string }): void;
  /** A reminder was handed to Twilio this long after it was due (negative: early). */
  reminderSent(latenessSeconds: number): void;
  /** One calendar poll ran: `ok` or `error`. */
  calendarPolled(event: { result: 'ok' | 'error'; seconds: number }): void;
  /** Whether this daemon leads the calendar poll, and the epoch of the lease it holds (when there is one). */
  pollLeadership(event: { leader: boolean; epoch?: number }): void;
  /** Tokens of one Gemini answer, as its usageMetadata counted them (missing counts are 0). */
  geminiTokens(usage: GeminiTokenUsage): void;
}

export interface GeminiTokenUsage {
  /** promptTokenCount */
  prompt: number;
  /** candidatesTokenCount */
  output: number;
  /** thoughtsTokenCount (thinking models; billed as output) */
  thoughts: number;
}

const nothing = () => undefined;

/** server.metrics off, and every command but `rolplay start`. */
export const noopMetrics: Metrics = {
  jobFinished: nothing,
  permanentFailure: nothing,
  httpRequest: nothing,
  reminderSent: nothing,
  calendarPolled: nothing,
  pollLeadership: nothing,
  geminiTokens: nothing,
};

/**
 * The labels of a permanent failure: the provider and its own code (Twilio 63016, Graph
 * syncStateNotFound, a Gemini finish reason) when a cloud refused, else "none" and rolplay's code.
 */
export function failureLabels(error: unknown): { provider: string; code: string } {
  if (error instanceof ProviderError) return { provider: error.provider, code: String(error.providerCode ?? error.status ?? error.code) };
  if (error instanceof RolplayError) return { provider: 'none', code: error.code };
  return { provider: 'none', code: 'UNEXPECTED' };
}
