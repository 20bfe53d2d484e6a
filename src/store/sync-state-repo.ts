import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Lease, LeasesRepo } from './leases-repo.js';
import type { Database } from './database.js';

/** Small key/value state that must survive restarts (Graph delta links, sync windows). */
export class SyncStateRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('sync_state').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async set(key: string, value: string, now: number): Promise<void> {
    await this.db.insertInto('sync_state')
      .values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  /**
   * Writes only while `lease` is still held at its epoch (checked by the database in the same
   * statement), so a paused, deposed leader cannot overwrite the new leader's delta link.
   * Returns false when the write was refused.
   */
  async setFenced(key: string, value: string, now: number, lease: Lease, leases: LeasesRepo): Promise<boolean> {
    const held = (eb: ExpressionBuilder<Database, 'sync_state'>) => eb.exists(
      eb.selectFrom('leases').select('leases.name')
        .where('leases.name', '=', lease.name).where('leases.holder', '=', lease.holder)
        .where('leases.epoch', '=', lease.epoch).where('leases.expires_at', '>', leases.dbNow()),
    );
    const updated = await this.db.updateTable('sync_state').set({ value, updated_at: now }).where('key', '=', key).where(held).executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return true;
    if (!(await leases.isValid(lease))) return false;
    await this.set(key, value, now);
    return true;
  }

  async delete(key: string): Promise<void> {
    await this.db.deleteFrom('sync_state').where('key', '=', key).execute();
  }
}
