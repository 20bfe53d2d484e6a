import type { Kysely } from 'kysely';
import type { Database, RoleplayRow } from './database.js';

export interface RoleplayInput {
  meetingId: number | null;
  userId: number;
  difficulty: string | null;
  focus: string | null;
  startedAt: number;
  scoredAt: number;
  score: number;
  discovery: number;
  objectionHandling: number;
  nextStep: number;
  summary: string | null;
  tips: string[];
  transcript: Array<{ from: string; text: string }>;
}

/** The marks of a scored practice, as the next practice and the score comparison read them. */
export type RoleplayMarks = Pick<RoleplayRow, 'id' | 'started_at' | 'scored_at' | 'score' | 'discovery' | 'objection_handling' | 'next_step' | 'focus'>;

/** Scored role-play practices, one row each (migration 0010). */
export class RoleplaysRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Records a scored practice. A practice is its salesperson and start time: scoring it again
   * (a retried job) replaces the marks instead of adding a second row.
   */
  async record(input: RoleplayInput): Promise<RoleplayRow> {
    const values = {
      meeting_id: input.meetingId,
      difficulty: input.difficulty,
      focus: input.focus,
      scored_at: input.scoredAt,
      score: input.score,
      discovery: input.discovery,
      objection_handling: input.objectionHandling,
      next_step: input.nextStep,
      summary: input.summary,
      tips_json: JSON.stringify(input.tips),
      transcript_json: JSON.stringify(input.transcript),
    };
    return this.db.insertInto('roleplays')
      .values({ ...values, user_id: input.userId, started_at: input.startedAt })
      .onConflict((oc) => oc.columns(['user_id', 'started_at']).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The salesperson's latest scored practices, newest first, leaving out the one started at `exceptStartedAt`. */
  recentForUser(userId: number, limit: number, exceptStartedAt?: number): Promise<RoleplayMarks[]> {
    let query = this.db.selectFrom('roleplays')
      .select(['id', 'started_at', 'scored_at', 'score', 'discovery', 'objection_handling', 'next_step', 'focus'])
      .where('user_id', '=', userId);
    if (exceptStartedAt !== undefined) query = query.where('started_at', '!=', exceptStartedAt);
    return query.orderBy('scored_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** The practices of one meeting, in the order they were scored. */
  forMeeting(meetingId: number): Promise<RoleplayRow[]> {
    return this.db.selectFrom('roleplays').selectAll().where('meeting_id', '=', meetingId).orderBy('scored_at').orderBy('id').execute();
  }
}
