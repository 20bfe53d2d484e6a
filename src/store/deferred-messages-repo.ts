import type { Kysely } from 'kysely';
import type { Database, DeferredMessageRow } from './database.js';

export interface DeferredMessageInput {
  userId: number;
  meetingId: number | null;
  kind: string;
  body: string;
  /** One deferred text per business message (e.g. "plan:42"): adding it again is a no-op. */
  dedupeKey: string;
}

/** Full texts waiting for the salesperson's next message (after a template opened the thread). */
export class DeferredMessagesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async add(input: DeferredMessageInput, now: number): Promise<void> {
    await this.db.insertInto('deferred_messages')
      .values({ user_id: input.userId, meeting_id: input.meetingId, kind: input.kind, body: input.body, dedupe_key: input.dedupeKey, created_at: now, delivered_at: null })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }

  pending(userId: number): Promise<DeferredMessageRow[]> {
    return this.db.selectFrom('deferred_messages').selectAll()
      .where('user_id', '=', userId).where('delivered_at', 'is', null)
      .orderBy('created_at').orderBy('id')
      .execute();
  }

  /** Claims one for delivery; false if another worker already did. */
  async markDelivered(id: number, now: number): Promise<boolean> {
    const r = await this.db.updateTable('deferred_messages').set({ delivered_at: now })
      .where('id', '=', id).where('delivered_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
