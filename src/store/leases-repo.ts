import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.js';
import type { Dialect } from './migrations.js';

export interface Lease {
  name: string;
  holder: string;
  epoch: number;
  expiresAt: number;
}

/**
 * Named leases against the DATABASE clock (several daemons on several machines must agree on
 * time; their own clocks may drift). Taking over an expired lease bumps its epoch; renewals and
 * fenced writes name the epoch, so a leader that was paused past its lease can no longer write.
 */
export class LeasesRepo {
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect) {}

  /** Current database time in epoch ms. */
  dbNow(): RawBuilder<number> {
    return this.dialect === 'postgres'
      ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
      : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`;
  }

  /** Takes the lease if it is free or expired (or already ours); undefined if someone else holds it. */
  async acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    const now = this.dbNow();
    const row = await this.db.insertInto('leases')
      .values({ name, holder, epoch: 1, expires_at: sql<number>`${now} + ${ttlMs}` })
      .onConflict((oc) => oc.column('name').doUpdateSet({
        holder,
        epoch: sql<number>`case when leases.holder = ${holder} and leases.expires_at > ${now} then leases.epoch else leases.epoch + 1 end`,
        expires_at: sql<number>`${now} + ${ttlMs}`,
      }).where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])))
      .returningAll()
      .executeTakeFirst();
    return row ? toLease(row) : undefined;
  }

  /** Extends a lease we hold at this epoch; undefined if it was lost. */
  async renew(lease: Lease, ttlMs: number): Promise<Lease | undefined> {
    const now = this.dbNow();
    const row = await this.db.updateTable('leases')
      .set({ expires_at: sql<number>`${now} + ${ttlMs}` })
      .where('name', '=', lease.name)
      .where('holder', '=', lease.holder)
      .where('epoch', '=', lease.epoch)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row ? toLease(row) : undefined;
  }

  async release(lease: Lease): Promise<void> {
    await this.db.deleteFrom('leases').where('name', '=', lease.name).where('holder', '=', lease.holder).where('epoch', '=', lease.epoch).execute();
  }

  /** True while `lease` is still held at its epoch and unexpired (by the database clock). */
  async isValid(lease: Lease): Promise<boolean> {
    const row = await this.db.selectFrom('leases').select('name')
      .where('name', '=', lease.name).where('holder', '=', lease.holder).where('epoch', '=', lease.epoch)
      .where('expires_at', '>', this.dbNow())
      .executeTakeFirst();
    return row !== undefined;
  }

  get(name: string): Promise<Lease | undefined> {
    return this.db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst().then((r) => (r ? toLease(r) : undefined));
  }
}

function toLease(row: { name: string; holder: string; epoch: number; expires_at: number }): Lease {
  return { name: row.name, holder: row.holder, epoch: Number(row.epoch), expiresAt: Number(row.expires_at) };
}
