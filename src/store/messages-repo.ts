import type { Kysely } from 'kysely';
import type { Database, MessageRow } from './database.js';
import { statusesReplacedBy, type DeliveryStatus } from '../domain/delivery-status.js';

export interface MessageInput {
  direction: 'in' | 'out';
  userId: number | null;
  meetingId: number | null;
  phone: string;
  body: string;
  twilioSid?: string | null;
  kind: string;
  /** The send_whatsapp job that sent it (outgoing). */
  jobId?: number | null;
  /** The body is a voice note's transcript (inbound). */
  voice?: boolean;
}

export interface DeliveryReport {
  sid: string;
  status: DeliveryStatus;
  /** Twilio's ErrorCode, on failures. */
  errorCode: number | null;
}

/** 'updated': the row took the status; 'unchanged': it already had this or a later one; 'unknown': not our outgoing message. */
export type DeliveryUpdate = 'updated' | 'unchanged' | 'unknown';

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
        job_id: input.jobId ?? null,
        ...(input.voice ? { voice: 1 } : {}),
      })
      .onConflict((oc) => oc.column('twilio_sid').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Records what a status callback said, in one conditional UPDATE: only a status that moves the
   * message forward is written (statusesReplacedBy), so callbacks repeated or out of order
   * change nothing, and of two identical callbacks racing exactly one sees 'updated'.
   */
  async recordDelivery(report: DeliveryReport, now: number): Promise<DeliveryUpdate> {
    const replaced = statusesReplacedBy(report.status);
    const result = await this.db.updateTable('messages')
      .set({ delivery_status: report.status, error_code: report.errorCode, delivery_updated_at: now })
      .where('twilio_sid', '=', report.sid).where('direction', '=', 'out')
      .where((eb) => (replaced.length === 0
        ? eb('delivery_status', 'is', null)
        : eb.or([eb('delivery_status', 'is', null), eb('delivery_status', 'in', replaced)])))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return 'updated';
    const row = await this.db.selectFrom('messages').select('id').where('twilio_sid', '=', report.sid).where('direction', '=', 'out').executeTakeFirst();
    return row ? 'unchanged' : 'unknown';
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
