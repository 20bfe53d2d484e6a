import type { Logger } from '../support/logger.js';
import { errorMessage } from '../support/errors.js';
import type { Store } from '../store/open-store.js';
import type { Lease } from '../store/leases-repo.js';

export interface LeaderLeaseOptions {
  store: Store;
  /** What the lease guards, e.g. "calendar-poll". */
  name: string;
  /** This process's identity. */
  holder: string;
  ttlMs: number;
  logger: Logger;
}

/**
 * "Exactly one daemon does this at a time." Call ensure() before each unit of leader-only
 * work: it renews the lease we hold or takes a free/expired one, and returns it (or undefined
 * when another daemon leads). The lease's epoch goes with fenced writes.
 */
export class LeaderLease {
  private lease: Lease | undefined;

  constructor(private readonly options: LeaderLeaseOptions) {}

  get current(): Lease | undefined {
    return this.lease;
  }

  async ensure(): Promise<Lease | undefined> {
    const { store, name, holder, ttlMs, logger } = this.options;
    try {
      const wasLeader = this.lease !== undefined;
      this.lease = (this.lease && (await store.leases.renew(this.lease, ttlMs))) || (await store.leases.acquire(name, holder, ttlMs));
      if (this.lease && !wasLeader) logger.info({ lease: name, epoch: this.lease.epoch }, 'this daemon now leads');
      if (!this.lease && wasLeader) logger.warn({ lease: name }, 'lost the lead to another daemon');
    } catch (error) {
      logger.error({ lease: name, err: errorMessage(error) }, 'could not renew the lease; standing down');
      this.lease = undefined;
    }
    return this.lease;
  }

  async release(): Promise<void> {
    if (!this.lease) return;
    const lease = this.lease;
    this.lease = undefined;
    await this.options.store.leases.release(lease).catch(() => undefined);
  }
}
