import type { Lease } from '../../store/leases-repo.js';
import type { Store } from '../../store/open-store.js';

/**
 * Where the calendar sync stands, in one sync_state row: the window the delta chain was
 * started on (Graph bakes it into the link), when, for which mailbox, and the delta link.
 */
export interface SyncPoint {
  mailbox: string;
  window: { start: number; end: number };
  /** When the window was set (a full sync); it is re-based every microsoft.resyncHours. */
  basedAt: number;
  deltaLink: string;
}

export const SYNC_STATE_KEY = 'graph.calendar';

export async function loadSyncPoint(store: Store): Promise<SyncPoint | undefined> {
  const text = await store.syncState.get(SYNC_STATE_KEY);
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<SyncPoint>;
    if (typeof value.mailbox !== 'string' || typeof value.deltaLink !== 'string' || typeof value.basedAt !== 'number'
      || typeof value.window?.start !== 'number' || typeof value.window.end !== 'number') return undefined;
    return value as SyncPoint;
  } catch {
    // A damaged row only costs a full resync.
    return undefined;
  }
}

/**
 * Saves the sync point. With a lease (several daemons on one database), the write only lands
 * while that lease is still held at its epoch: a deposed poller cannot roll the link back.
 * Returns false when the write was refused.
 */
export async function saveSyncPoint(store: Store, point: SyncPoint, now: number, lease?: Lease): Promise<boolean> {
  const value = JSON.stringify(point);
  if (!lease) {
    await store.syncState.set(SYNC_STATE_KEY, value, now);
    return true;
  }
  return store.syncState.setFenced(SYNC_STATE_KEY, value, now, lease, store.leases);
}
