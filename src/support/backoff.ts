export interface BackoffPolicy {
  /** The wait after the first failure (before jitter). */
  baseMs: number;
  /** No wait is longer than this (a server-requested one excepted). */
  maxMs: number;
  /** 0.5: each wait is drawn from [50 %, 150 %) of the exponential step; 0: no jitter. */
  jitter?: number;
  random?: () => number;
}

/**
 * Exponential backoff, the one formula rolplay uses: base × 2^(failures − 1), jittered so that
 * many clients failing together do not retry together, capped at maxMs. A wait the server asked
 * for (Retry-After) wins when it is longer.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, retryAfterMs?: number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  const jitter = policy.jitter ?? 0.5;
  const factor = 1 - jitter + 2 * jitter * (policy.random ?? Math.random)();
  return Math.round(Math.max(Math.min(step * factor, policy.maxMs), retryAfterMs ?? 0));
}
