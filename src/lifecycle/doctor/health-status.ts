import { errorMessage } from '../../support/errors.js';
import type { Services } from '../services.js';

export interface HealthStatus {
  ok: boolean;
  /** Job counts by status: a growing "pending" means work is stuck. */
  jobs?: Record<string, number>;
  error?: string;
}

/** GET /health: the store answers (one cheap query) and how the job queue looks. */
export async function healthStatus(services: Pick<Services, 'store'>): Promise<HealthStatus> {
  try {
    return { ok: true, jobs: await services.store.jobs.countByStatus() };
  } catch (error) {
    return { ok: false, error: `store unavailable: ${errorMessage(error).slice(0, 200)}` };
  }
}
