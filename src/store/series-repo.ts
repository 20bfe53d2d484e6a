import type { Kysely } from 'kysely';
import type { CalendarSeriesTable, Database } from './database.js';

export type SeriesRow = CalendarSeriesTable;

/** Series masters of recurring meetings as last read from Graph, by master id. */
export class SeriesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  get(masterId: string): Promise<SeriesRow | undefined> {
    return this.db.selectFrom('calendar_series').selectAll().where('master_id', '=', masterId).executeTakeFirst();
  }

  /** The known masters among `masterIds` (one query, however many). */
  async getMany(masterIds: string[]): Promise<Map<string, SeriesRow>> {
    const found = new Map<string, SeriesRow>();
    for (let i = 0; i < masterIds.length; i += 500) {
      const rows = await this.db.selectFrom('calendar_series').selectAll().where('master_id', 'in', masterIds.slice(i, i + 500)).execute();
      for (const row of rows) found.set(row.master_id, row);
    }
    return found;
  }

  async upsert(row: SeriesRow): Promise<void> {
    const { master_id: _id, ...rest } = row;
    await this.db.insertInto('calendar_series').values(row)
      .onConflict((oc) => oc.column('master_id').doUpdateSet(rest))
      .execute();
  }
}
