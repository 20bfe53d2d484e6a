import type { Kysely } from 'kysely';
import type { Database, MeetingRow } from './database.js';

/**
 * The queries of the post-meeting follow-up: which meeting a salesperson's reply answers, and
 * the compare-and-set writes that make "one outcome per meeting" hold with several workers.
 */
export class FollowUpRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** The user's meetings waiting for an outcome, most recently reminded first. */
  awaitingOutcome(userId: number): Promise<MeetingRow[]> {
    return this.db.selectFrom('meetings').selectAll()
      .where('user_id', '=', userId)
      .where('status', '=', 'reminder_sent')
      .orderBy('reminded_at', 'desc')
      .orderBy('end_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  /** The user's most recently completed meeting, completed at or after `since`. */
  lastCompleted(userId: number, since: number): Promise<MeetingRow | undefined> {
    return this.db.selectFrom('meetings').selectAll()
      .where('user_id', '=', userId)
      .where('status', '=', 'completed')
      .where('completed_at', '>=', since)
      .orderBy('completed_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
  }

  /**
   * Takes `text` as the meeting's outcome reply if none was taken yet and the meeting still
   * waits for one. False when another reply (or a second delivery of this one) got there first.
   */
  async claimReply(meetingId: number, text: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('meetings')
      .set({ last_reply: text, updated_at: now })
      .where('id', '=', meetingId)
      .where('status', '=', 'reminder_sent')
      .where('last_reply', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async saveOutcome(meetingId: number, outcomeJson: string, now: number): Promise<void> {
    await this.db.updateTable('meetings').set({ outcome_json: outcomeJson, updated_at: now }).where('id', '=', meetingId).execute();
  }

  async saveNoteId(meetingId: number, noteId: string, now: number): Promise<void> {
    await this.db.updateTable('meetings').set({ hubspot_note_id: noteId, updated_at: now }).where('id', '=', meetingId).execute();
  }
}
