import type { Kysely } from 'kysely';
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

  async delete(key: string): Promise<void> {
    await this.db.deleteFrom('sync_state').where('key', '=', key).execute();
  }
}
