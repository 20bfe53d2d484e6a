import { errorMessage } from '../../support/errors.js';
import type { Services } from '../services.js';

export interface HealthStatus {
  ok: boolean;
  /** Job counts by status: a growing "pending" means work is stuck. */
  jobs?: Record<string, number>;
  error?: string;
}

/** GET /health: the store answers, and how the job queue looks. */
export async function healthStatus(services: Pick<Services, 'store'>): Promise<HealthStatus> {
  try {
    return { ok: true, jobs: await services.store.jobs.countByStatus() };
  } catch (error) {
    return { ok: false, error: `store unavailable: ${errorMessage(error).slice(0, 200)}` };
  }
}

/**
 * healthStatus for a probe that may come every few milliseconds (a load balancer, a monitor):
 * one store read per `maxAgeMs`, shared by the probes that arrive meanwhile, so probing never
 * competes with the work it watches. A failed read is not kept: the next probe asks again.
 */
export function cachedHealthStatus(services: Pick<Services, 'store' | 'clock'>, maxAgeMs = 1000): () => Promise<HealthStatus> {
  let last: { at: number; status: Promise<HealthStatus> } | undefined;
  return () => {
    const now = services.clock.now();
    if (!last || now - last.at >= maxAgeMs) {
      const status = healthStatus(services);
      last = { at: now, status };
      void status.then((s) => {
        if (!s.ok && last?.status === status) last = undefined;
      });
    }
    return last.status;
  };
}
