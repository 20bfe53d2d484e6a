import type { Kysely } from 'kysely';
import type { Database, MessageRow } from './database.js';

export interface MessageInput {
  direction: 'in' | 'out';
  userId: number | null;
  meetingId: number | null;
  phone: string;
  body: string;
  twilioSid?: string | null;
  kind: string;
}

export class MessagesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Records a message. For inbound messages the Twilio MessageSid is the replay guard:
   * returns undefined (and writes nothing) when that SID was already recorded, atomically,
   * even with several daemons sharing one database.
   */
  async record(input: MessageInput, now: number): Promise<MessageRow | undefined> {
    return this.db.insertInto('messages')
      .values({
        direction: input.direction,
        user_id: input.userId,
        meeting_id: input.meetingId,
        phone: input.phone,
        body: input.body,
        twilio_sid: input.twilioSid ?? null,
        kind: input.kind,
        created_at: now,
      })
      .onConflict((oc) => oc.column('twilio_sid').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  bySid(sid: string): Promise<MessageRow | undefined> {
    return this.db.selectFrom('messages').selectAll().where('twilio_sid', '=', sid).executeTakeFirst();
  }

  forMeeting(meetingId: number): Promise<MessageRow[]> {
    return this.db.selectFrom('messages').selectAll().where('meeting_id', '=', meetingId).orderBy('created_at').orderBy('id').execute();
  }

  /** When the user last wrote to us (opens WhatsApp's 24-hour window for free text). */
  async lastInboundAt(userId: number): Promise<number | undefined> {
    const row = await this.db.selectFrom('messages').select((eb) => eb.fn.max('created_at').as('at'))
      .where('user_id', '=', userId).where('direction', '=', 'in').executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  /** The last `limit` messages with a user (optionally about one meeting), oldest first. */
  async recentForUser(userId: number, limit: number, meetingId?: number): Promise<MessageRow[]> {
    let query = this.db.selectFrom('messages').selectAll().where('user_id', '=', userId);
    if (meetingId !== undefined) query = query.where('meeting_id', '=', meetingId);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.reverse();
  }
}
