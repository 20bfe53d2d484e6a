import type { Kysely } from 'kysely';
import type { ConversationRow, Database } from './database.js';

/** Where each salesperson's WhatsApp conversation stands: chosen meeting and role-play mode. */
export class ConversationsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  get(userId: number): Promise<ConversationRow | undefined> {
    return this.db.selectFrom('conversations').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  /** Pins the conversation to a meeting ("switch N"); null goes back to the automatic choice. */
  async selectMeeting(userId: number, meetingId: number | null, now: number): Promise<void> {
    await this.db.insertInto('conversations')
      .values({ user_id: userId, meeting_id: meetingId, mode: 'coach', updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ meeting_id: meetingId, updated_at: now }))
      .execute();
  }

  /** Starts (or restarts) a role-play on a meeting; `focus` is the rubric part its persona leans on. */
  async startRoleplay(userId: number, meetingId: number, difficulty: string, now: number, focus: string | null = null): Promise<void> {
    const values = { mode: 'roleplay' as const, roleplay_meeting_id: meetingId, difficulty, roleplay_started_at: now, roleplay_focus: focus, updated_at: now };
    await this.db.insertInto('conversations')
      .values({ user_id: userId, meeting_id: null, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  }

  /**
   * Ends a running role-play and returns it as it was, or undefined when none was running:
   * compare-and-set, so a "stop" delivered twice scores the practice once.
   */
  async stopRoleplay(userId: number, now: number): Promise<ConversationRow | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const current = await tx.selectFrom('conversations').selectAll().where('user_id', '=', userId).where('mode', '=', 'roleplay').executeTakeFirst();
      if (!current) return undefined;
      const r = await tx.updateTable('conversations')
        .set({ mode: 'coach', updated_at: now })
        .where('user_id', '=', userId).where('mode', '=', 'roleplay').where('roleplay_started_at', '=', current.roleplay_started_at)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0 ? current : undefined;
    });
  }
}
