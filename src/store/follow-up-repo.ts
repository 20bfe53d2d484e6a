import type { Kysely } from 'kysely';
import type { Database, MeetingRow } from './database.js';
import type { Dialect } from './migrations.js';

/**
 * The queries of the post-meeting follow-up: which meeting a salesperson's reply answers, and
 * the compare-and-set writes that make "one outcome per meeting" hold with several workers.
 */
export class FollowUpRepo {
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect) {}

  /**
   * Moves a meeting to reminder_sent. With `queueIfBusy`, the question is held back (reminded_at
   * stays null) when the salesperson already has another open question. Check and write happen
   * under a per-user lock, so two late reminders running at once cannot both be asked.
   * Returns undefined when the meeting was no longer scheduled/plan_sent.
   */
  async startQuestion(meetingId: number, userId: number, now: number, queueIfBusy: boolean): Promise<'asked' | 'queued' | undefined> {
    return this.db.transaction().execute(async (tx) => {
      // SQLite runs one write transaction at a time; PostgreSQL needs the user's row locked.
      if (this.dialect === 'postgres') await tx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
      const busy = queueIfBusy && (await tx.selectFrom('meetings').select('id')
        .where('user_id', '=', userId).where('id', '!=', meetingId).where('status', '=', 'reminder_sent')
        .where('reminded_at', 'is not', null).where('last_reply', 'is', null)
        .executeTakeFirst()) !== undefined;
      const r = await tx.updateTable('meetings')
        .set({ status: 'reminder_sent', reminded_at: busy ? null : now, updated_at: now })
        .where('id', '=', meetingId).where('status', 'in', ['scheduled', 'plan_sent'])
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return undefined;
      return busy ? 'queued' : 'asked';
    });
  }

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

  /**
   * Late reminders held back so a salesperson back from a daemon outage gets one question at a
   * time (status reminder_sent, reminded_at null), oldest meeting first.
   */
  queuedQuestions(userId: number): Promise<MeetingRow[]> {
    return this.db.selectFrom('meetings').selectAll()
      .where('user_id', '=', userId)
      .where('status', '=', 'reminder_sent')
      .where('reminded_at', 'is', null)
      .orderBy('end_at')
      .orderBy('id')
      .execute();
  }

  /** Records that the question about this meeting was (re)asked; false if it is no longer open. */
  async markAsked(meetingId: number, now: number, onlyIfQueued = false): Promise<boolean> {
    let q = this.db.updateTable('meetings').set({ reminded_at: now, updated_at: now })
      .where('id', '=', meetingId).where('status', '=', 'reminder_sent');
    if (onlyIfQueued) q = q.where('reminded_at', 'is', null);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
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
