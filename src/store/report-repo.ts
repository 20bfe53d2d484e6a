import { sql, type Kysely } from 'kysely';
import type { Database, MeetingStatus } from './database.js';

/**
 * The window a report reads: the period [from, to) and the previous period of the same length
 * [previousFrom, from), read together so each figure family is one query.
 */
export interface ReportWindow {
  previousFrom: number;
  from: number;
  to: number;
}

/** Per salesperson: meetings starting in each period (not cancelled) and how many got their plan. */
export interface MeetingFigureRow {
  user_id: number;
  meetings: number;
  plans_sent: number;
  previous_meetings: number;
  previous_plans_sent: number;
}

/** Per salesperson and bucket of the period (-1 = the previous period): role-plays scored and their mark sums. */
export interface RoleplayFigureRow {
  user_id: number;
  bucket: number;
  roleplays: number;
  score: number;
  discovery: number;
  objection_handling: number;
  next_step: number;
}

/** One outcome logged to HubSpot in either period. */
export interface OutcomeRow {
  user_id: number;
  completed_at: number;
  end_at: number;
}

export interface MissingOutcomeRow {
  id: number;
  user_id: number;
  title: string;
  start_at: number;
  end_at: number;
  status: MeetingStatus;
  /** 1 when the salesperson answered and the outcome waits to be logged. */
  replied: number;
}

/**
 * The queries behind `rolplay report`: one per figure family, each grouped by salesperson (or
 * one row per outcome where a median needs them), over registered salespeople only (rows of
 * removed ones have user_id null). Each reads a range of an index: meetings by start_at,
 * roleplays by scored_at, meetings by completed_at.
 */
export class ReportRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Meetings by start; a plan counts as sent when a 'plan' message for the meeting went out on
   * WhatsApp (the full text or its template), which a queued but never delivered plan has not.
   */
  async meetingFigures(w: ReportWindow): Promise<MeetingFigureRow[]> {
    const current = sql<boolean>`meetings.start_at >= ${w.from}`;
    const planSent = sql<boolean>`exists (select 1 from messages where messages.meeting_id = meetings.id and messages.kind = 'plan' and messages.direction = 'out')`;
    const rows = await this.db.selectFrom('meetings')
      .select([
        'meetings.user_id',
        sql<number>`sum(case when ${current} then 1 else 0 end)`.as('meetings'),
        sql<number>`sum(case when ${current} and ${planSent} then 1 else 0 end)`.as('plans_sent'),
        sql<number>`sum(case when ${current} then 0 else 1 end)`.as('previous_meetings'),
        sql<number>`sum(case when not (${current}) and ${planSent} then 1 else 0 end)`.as('previous_plans_sent'),
      ])
      .where('meetings.start_at', '>=', w.previousFrom).where('meetings.start_at', '<', w.to)
      .where('meetings.status', '!=', 'cancelled').where('meetings.user_id', 'is not', null)
      .groupBy('meetings.user_id')
      .execute();
    return rows.map((r) => ({
      user_id: Number(r.user_id), meetings: Number(r.meetings), plans_sent: Number(r.plans_sent),
      previous_meetings: Number(r.previous_meetings), previous_plans_sent: Number(r.previous_plans_sent),
    }));
  }

  /** Role-plays by when they were scored, summed per salesperson and bucket of `bucketMs` from `from`. */
  async roleplayFigures(w: ReportWindow, bucketMs: number): Promise<RoleplayFigureRow[]> {
    const bucket = sql<number>`case when scored_at < ${w.from} then -1 else cast((scored_at - ${w.from}) / ${bucketMs} as integer) end`;
    const rows = await this.db.selectFrom('roleplays')
      .select([
        'user_id',
        bucket.as('bucket'),
        (eb) => eb.fn.countAll<number>().as('roleplays'),
        (eb) => eb.fn.sum<number>('score').as('score'),
        (eb) => eb.fn.sum<number>('discovery').as('discovery'),
        (eb) => eb.fn.sum<number>('objection_handling').as('objection_handling'),
        (eb) => eb.fn.sum<number>('next_step').as('next_step'),
      ])
      .where('scored_at', '>=', w.previousFrom).where('scored_at', '<', w.to)
      .where('user_id', 'is not', null)
      .groupBy(['user_id', sql.ref('bucket')])
      .execute();
    return rows.map((r) => ({
      user_id: Number(r.user_id), bucket: Number(r.bucket), roleplays: Number(r.roleplays), score: Number(r.score),
      discovery: Number(r.discovery), objection_handling: Number(r.objection_handling), next_step: Number(r.next_step),
    }));
  }

  /** Outcomes logged to HubSpot (a note id stored), by when they were logged: one row each, for the medians. */
  async outcomes(w: ReportWindow): Promise<OutcomeRow[]> {
    const rows = await this.db.selectFrom('meetings')
      .select(['user_id', 'completed_at', 'end_at'])
      .where('completed_at', '>=', w.previousFrom).where('completed_at', '<', w.to)
      .where('hubspot_note_id', 'is not', null).where('user_id', 'is not', null)
      .execute();
    return rows.map((r) => ({ user_id: Number(r.user_id), completed_at: Number(r.completed_at), end_at: Number(r.end_at) }));
  }

  /**
   * Meetings starting in the period that ended before `endedBefore` and have no outcome logged
   * (not completed, not cancelled), in start order.
   */
  async missingOutcomes(w: ReportWindow, endedBefore: number): Promise<MissingOutcomeRow[]> {
    const rows = await this.db.selectFrom('meetings')
      .select(['id', 'user_id', 'title', 'start_at', 'end_at', 'status', sql<number>`case when last_reply is null then 0 else 1 end`.as('replied')])
      .where('start_at', '>=', w.from).where('start_at', '<', w.to)
      .where('end_at', '<=', endedBefore)
      .where('status', 'not in', ['cancelled', 'completed']).where('user_id', 'is not', null)
      .orderBy('start_at').orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, user_id: Number(r.user_id), start_at: Number(r.start_at), end_at: Number(r.end_at), replied: Number(r.replied) }));
  }
}
