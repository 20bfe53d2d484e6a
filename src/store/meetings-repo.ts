import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database, MeetingRow, MeetingStatus, MeetingUpdate, NewMeeting } from './database.js';
import type { Dialect } from './migrations.js';
import { LIST_LIMIT, listsEverything, type MeetingFilter } from './meeting-list-filter.js';

export { LIST_LIMIT, listsEverything, type MeetingFilter };

/**
 * A row of the meetings list: no plan, body or outcome text, no series id, salesperson or
 * client text (those come once each, in MeetingListData), so 10,000 rows stay small.
 */
export type MeetingSummaryRow = Pick<MeetingRow, 'id' | 'title' | 'status' | 'source' | 'start_at' | 'end_at' | 'organizer_email' | 'user_id' | 'hubspot_note_id' | 'reminded_at' | 'roleplay_score'> & {
  /** 1 when a plan is stored. */
  has_plan: number;
  /** The meeting's client ids, ascending, comma-separated; null when it has none. */
  client_ids: string | null;
};

/** A meeting of a recurring series, as much as its place in the series needs. */
export type SeriesMemberRow = Pick<MeetingRow, 'id' | 'series_master_id' | 'status'>;

/** What the meetings list shows: its rows, and once each the salespeople, clients and series they refer to. */
export interface MeetingListData {
  rows: MeetingSummaryRow[];
  users: Map<number, { id: number; email: string; name: string }>;
  clients: Map<number, { name: string | null; email: string | null; company: string | null }>;
  /** Every stored meeting of the listed series (see seriesOfListed). */
  seriesMembers: SeriesMemberRow[];
}

const SUMMARY_COLUMNS = [
  'meetings.id', 'meetings.title', 'meetings.status', 'meetings.source', 'meetings.start_at', 'meetings.end_at',
  'meetings.organizer_email', 'meetings.user_id', 'meetings.hubspot_note_id', 'meetings.reminded_at',
  // The latest practice's score, kept on the meeting when it is scored: the list's score column
  // costs no query of its own.
  'meetings.roleplay_score',
] as const;
const HAS_PLAN = sql<number>`case when meetings.plan_json is null then 0 else 1 end`.as('has_plan');
/** Each meeting's client ids in one column: a subquery read off the (meeting_id, client_id) key. */
const CLIENT_IDS = {
  sqlite: sql<string | null>`(select group_concat(mc.client_id, ',' order by mc.client_id) from meeting_clients mc where mc.meeting_id = meetings.id)`.as('client_ids'),
  postgres: sql<string | null>`(select string_agg(mc.client_id::text, ',' order by mc.client_id) from meeting_clients mc where mc.meeting_id = meetings.id)`.as('client_ids'),
};
/** Ids per `in (...)` list: well under SQLite's and PostgreSQL's limits on bound parameters. */
const IDS_PER_QUERY = 500;

export interface MeetingListRow extends MeetingRow {
  user_email: string | null;
  user_name: string | null;
}

export class MeetingsRepo {
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect) {}

  byId(id: number): Promise<MeetingRow | undefined> {
    return this.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byEventId(eventId: string): Promise<MeetingRow | undefined> {
    return this.db.selectFrom('meetings').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  }

  insert(values: NewMeeting): Promise<MeetingRow> {
    return this.db.insertInto('meetings').values(values).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: number, patch: MeetingUpdate): Promise<MeetingRow | undefined> {
    return this.db.updateTable('meetings').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
  }

  /**
   * Moves a meeting to `to` only if it is in one of `from` (compare-and-set), so two workers
   * racing on the same meeting cannot both advance it. Returns the updated row or undefined.
   */
  async transition(id: number, from: MeetingStatus[], to: MeetingStatus, now: number, extra: MeetingUpdate = {}): Promise<MeetingRow | undefined> {
    return this.db.updateTable('meetings')
      .set({ ...extra, status: to, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', from)
      .returningAll()
      .executeTakeFirst();
  }

  list(filter: MeetingFilter = {}): Promise<MeetingListRow[]> {
    return this.listed(filter).selectAll('meetings').select(['users.email as user_email', 'users.name as user_name']).execute();
  }

  /**
   * The meetings list for `filter`: its rows in list order (read off the start_at index, which
   * also holds the id), then the salespeople and clients they name, and the series they belong
   * to. Four short queries, whatever the length of the list: no query per meeting.
   */
  async listSummaries(filter: MeetingFilter = {}): Promise<MeetingListData> {
    const rows: MeetingSummaryRow[] = await this.listed(filter).select(SUMMARY_COLUMNS).select(HAS_PLAN).select(CLIENT_IDS[this.dialect]).execute();
    const userIds = new Set<number>();
    const clientIds = new Set<number>();
    for (const row of rows) {
      if (row.user_id !== null) userIds.add(row.user_id);
      if (row.client_ids !== null) for (const id of row.client_ids.split(',')) clientIds.add(Number(id));
    }
    const [users, clients, seriesMembers] = await Promise.all([
      this.byIds([...userIds], (ids) => this.db.selectFrom('users').select(['id', 'email', 'name']).where('id', 'in', ids).execute()),
      this.byIds([...clientIds], (ids) => this.db.selectFrom('clients').select(['id', 'name', 'email', 'company']).where('id', 'in', ids).execute()),
      this.seriesOfListed(filter),
    ]);
    return {
      rows,
      users: new Map(users.map((u) => [u.id, u])),
      clients: new Map(clients.map(({ id, ...c }) => [id, c])),
      seriesMembers,
    };
  }

  /**
   * Every stored meeting of the series that the list for `filter` shows (cancelled ones
   * included), each series in start order (ties by id): what their "↻ i/n" marks count, read
   * off the (series_master_id, start_at) index. An unfiltered list takes every series: the
   * same marks, without reading the list a second time. (A window function over the same
   * rows, joined to the list, cost twice as much on 10,000 series meetings in SQLite: it
   * sorts, then builds an index to join on.)
   */
  private seriesOfListed(filter: MeetingFilter): Promise<SeriesMemberRow[]> {
    const members = this.db.selectFrom('meetings').select(['id', 'series_master_id', 'status'])
      .orderBy('series_master_id').orderBy('start_at').orderBy('id');
    return (listsEverything(filter)
      ? members.where('series_master_id', 'is not', null)
      : members.where('series_master_id', 'in', this.listed(filter).select('meetings.series_master_id'))
    ).execute();
  }

  /** `query` run for `ids` a few hundred at a time. */
  private async byIds<T>(ids: number[], query: (ids: number[]) => Promise<T[]>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) out.push(...await query(ids.slice(i, i + IDS_PER_QUERY)));
    return out;
  }

  /** Every stored meeting of these series, as in listSummaries() (one meeting's details). */
  async seriesMembers(masterIds: string[]): Promise<SeriesMemberRow[]> {
    const ids = [...new Set(masterIds)];
    const out: SeriesMemberRow[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      out.push(...await this.db.selectFrom('meetings').select(['id', 'series_master_id', 'status'])
        .where('series_master_id', 'in', ids.slice(i, i + IDS_PER_QUERY))
        .orderBy('series_master_id').orderBy('start_at').orderBy('id')
        .execute());
    }
    return out;
  }

  /** The meetings a list shows, in its order and up to its limit (columns chosen by the caller). */
  private listed(filter: MeetingFilter) {
    return this.db.selectFrom('meetings')
      .leftJoin('users', 'users.id', 'meetings.user_id')
      .where((eb) => matching(eb, filter))
      .orderBy('meetings.start_at').orderBy('meetings.id').limit(filter.limit ?? LIST_LIMIT);
  }

  /**
   * Invitations recorded as unmatched from `organizerEmail` (any case) that have not ended and
   * are not cancelled: what `rolplay user add` picks up for a salesperson who registers late.
   */
  unmatchedOpenFrom(organizerEmail: string, now: number): Promise<MeetingRow[]> {
    return this.db.selectFrom('meetings').selectAll()
      .where('user_id', 'is', null)
      .where((eb) => eb(eb.fn('lower', ['organizer_email']), '=', organizerEmail.toLowerCase()))
      .where('status', '!=', 'cancelled')
      .where('end_at', '>', now)
      .orderBy('start_at').orderBy('id')
      .execute();
  }

  /** Gives an unmatched meeting to `userId` unless another process matched it first (compare-and-set). */
  claimUnmatched(id: number, userId: number, now: number): Promise<MeetingRow | undefined> {
    return this.db.updateTable('meetings').set({ user_id: userId, updated_at: now })
      .where('id', '=', id).where('user_id', 'is', null)
      .returningAll().executeTakeFirst();
  }

  /**
   * The latest meeting of the same recurring series and salesperson that started before
   * `meeting` and has an outcome recorded: what the next plan of the series builds on.
   */
  latestEarlierWithOutcome(meeting: Pick<MeetingRow, 'id' | 'series_master_id' | 'start_at' | 'user_id'>): Promise<MeetingRow | undefined> {
    if (meeting.series_master_id === null || meeting.user_id === null) return Promise.resolve(undefined);
    return this.db.selectFrom('meetings').selectAll()
      .where('series_master_id', '=', meeting.series_master_id)
      .where('user_id', '=', meeting.user_id)
      .where('start_at', '<', meeting.start_at)
      .where('id', '!=', meeting.id)
      .where('outcome_json', 'is not', null)
      .orderBy('start_at', 'desc').orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Meetings of one user starting in [from, to), soonest first, excluding cancelled ones. */
  upcomingForUser(userId: number, from: number, to: number): Promise<MeetingRow[]> {
    return this.db.selectFrom('meetings').selectAll()
      .where('user_id', '=', userId)
      .where('start_at', '>=', from)
      .where('start_at', '<', to)
      .where('status', '!=', 'cancelled')
      .orderBy('start_at')
      .execute();
  }

  /**
   * Calendar meetings still expected to happen that start in [from, to): after a full resync,
   * the ones Graph no longer lists were removed while the delta link was lost.
   */
  openGraphMeetingsStarting(from: number, to: number): Promise<Array<Pick<MeetingRow, 'id' | 'event_id'>>> {
    return this.db.selectFrom('meetings').select(['id', 'event_id'])
      .where('source', '=', 'graph')
      .where('status', 'not in', ['cancelled', 'completed'])
      .where('start_at', '>=', from)
      .where('start_at', '<', to)
      .orderBy('id')
      .execute();
  }

  /** The latest meeting of a series that starts before `startAt` and is not cancelled. */
  previousInSeries(masterId: string, startAt: number): Promise<Pick<MeetingRow, 'id' | 'end_at' | 'status'> | undefined> {
    return this.db.selectFrom('meetings').select(['id', 'end_at', 'status'])
      .where('series_master_id', '=', masterId)
      .where('start_at', '<', startAt)
      .where('status', '!=', 'cancelled')
      .orderBy('start_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The meetings of a recurring series that have not started by `now` and are not cancelled, soonest first. */
  futureOfSeries(masterId: string, now: number): Promise<MeetingRow[]> {
    return this.db.selectFrom('meetings').selectAll()
      .where('series_master_id', '=', masterId)
      .where('start_at', '>', now)
      .where('status', '!=', 'cancelled')
      .orderBy('start_at')
      .execute();
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('meetings').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}

/** The WHERE clause of every meetings list (see listed()). */
function matching(eb: ExpressionBuilder<Database, 'meetings' | 'users'>, filter: MeetingFilter): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.status && filter.status.length > 0) conditions.push(eb('meetings.status', 'in', filter.status));
  if (filter.userEmail) conditions.push(eb('users.email', '=', filter.userEmail.toLowerCase()));
  if (filter.from !== undefined) conditions.push(eb('meetings.start_at', '>=', filter.from));
  if (filter.to !== undefined) conditions.push(eb('meetings.start_at', '<', filter.to));
  if (filter.unmatched === true) conditions.push(eb('meetings.user_id', 'is', null));
  if (filter.unmatched === false) conditions.push(eb('meetings.user_id', 'is not', null));
  return eb.and(conditions);
}
