import type BetterSqlite3 from 'better-sqlite3';
import type { MeetingListData, MeetingSummaryRow, SeriesMemberRow } from './meetings-repo.js';
import { joinedInPieces } from '../support/text-pieces.js';
import { LIST_LIMIT, listsEverything, type MeetingFilter } from './meeting-list-filter.js';

/**
 * The meetings list on the embedded store without Kysely (see sqlite-reads.ts): the same rows
 * as MeetingsRepo.listSummaries, and `meetings list --json` built by SQLite itself. Each query
 * mirrors the repository's; a test holds the two to the same answers, filter by filter.
 */

/** MeetingsRepo.listed(): the meetings a list shows, in its order and up to its limit. */
export function listed(columns: string, filter: MeetingFilter): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.status && filter.status.length > 0) {
    conditions.push(`meetings.status in (${filter.status.map(() => '?').join(', ')})`);
    params.push(...filter.status);
  }
  if (filter.userEmail) {
    conditions.push('users.email = ?');
    params.push(filter.userEmail.toLowerCase());
  }
  if (filter.from !== undefined) {
    conditions.push('meetings.start_at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    conditions.push('meetings.start_at < ?');
    params.push(filter.to);
  }
  if (filter.unmatched === true) conditions.push('meetings.user_id is null');
  if (filter.unmatched === false) conditions.push('meetings.user_id is not null');
  params.push(filter.limit ?? LIST_LIMIT);
  const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
  return {
    sql: `select ${columns} from meetings left join users on users.id = meetings.user_id ${where} order by meetings.start_at, meetings.id limit ?`,
    params,
  };
}

const SUMMARY_COLUMNS = `meetings.id, meetings.title, meetings.status, meetings.source, meetings.start_at, meetings.end_at,
  meetings.organizer_email, meetings.user_id, meetings.hubspot_note_id, meetings.reminded_at, meetings.roleplay_score,
  case when meetings.plan_json is null then 0 else 1 end,
  (select group_concat(mc.client_id, ',' order by mc.client_id) from meeting_clients mc where mc.meeting_id = meetings.id)`;
type SummaryTuple = [number, string, MeetingSummaryRow['status'], MeetingSummaryRow['source'], number, number, string, number | null, string | null, number | null, number | null, number, string | null];

/**
 * MeetingsRepo.listSummaries() on better-sqlite3. Rows come as arrays and become objects here:
 * better-sqlite3 builds each row object key by key, which cost more than the query on 10,000
 * meetings. Users and clients are read by the ids the rows name (a JSON array: no limit on
 * bound parameters).
 */
export function sqliteListSummaries(database: BetterSqlite3.Database, filter: MeetingFilter): MeetingListData {
  const { sql, params } = listed(SUMMARY_COLUMNS, filter);
  const rows: MeetingSummaryRow[] = [];
  const userIds = new Set<number>();
  const clientIds = new Set<number>();
  for (const r of database.prepare(sql).raw().all(...params) as SummaryTuple[]) {
    rows.push({
      id: r[0], title: r[1], status: r[2], source: r[3], start_at: r[4], end_at: r[5], organizer_email: r[6], user_id: r[7],
      hubspot_note_id: r[8], reminded_at: r[9], roleplay_score: r[10], has_plan: r[11], client_ids: r[12],
    });
    if (r[7] !== null) userIds.add(r[7]);
    if (r[12] !== null) for (const id of r[12].split(',')) clientIds.add(Number(id));
  }
  const users: MeetingListData['users'] = new Map();
  for (const u of database.prepare('select id, email, name from users where id in (select value from json_each(?))').all(JSON.stringify([...userIds])) as Array<{ id: number; email: string; name: string }>) {
    users.set(u.id, u);
  }
  const clients: MeetingListData['clients'] = new Map();
  for (const { id, ...c } of database.prepare('select id, name, email, company from clients where id in (select value from json_each(?))').all(JSON.stringify([...clientIds])) as Array<{ id: number; name: string | null; email: string | null; company: string | null }>) {
    clients.set(id, c);
  }
  return { rows, users, clients, seriesMembers: seriesOfListed(database, filter) };
}

/** MeetingsRepo.seriesOfListed(): every stored meeting of the series the list shows. */
function seriesOfListed(database: BetterSqlite3.Database, filter: MeetingFilter): SeriesMemberRow[] {
  const order = 'order by series_master_id, start_at, id';
  if (listsEverything(filter)) {
    return database.prepare(`select id, series_master_id, status from meetings where series_master_id is not null ${order}`).all() as SeriesMemberRow[];
  }
  const series = listed('meetings.series_master_id', filter);
  return database.prepare(`select id, series_master_id, status from meetings where series_master_id in (${series.sql}) ${order}`).all(...series.params) as SeriesMemberRow[];
}

/**
 * seriesMarks() in SQL, for the meetings of the series a list shows (a CTE after `listed`): each
 * one's id, series, position among the series' meetings that are not cancelled (null for a
 * cancelled one) and how many those are; over every series when the list is unfiltered.
 */
export function seriesMarksSql(filter: MeetingFilter): string {
  return `select id, series_master_id,
      case when status = 'cancelled' then null
        else sum(status <> 'cancelled') over (partition by series_master_id order by start_at, id rows unbounded preceding) end as position,
      sum(status <> 'cancelled') over (partition by series_master_id) as live
    from meetings where ${listsEverything(filter) ? 'series_master_id is not null' : 'series_master_id in (select series_master_id from listed)'}`;
}

/** The query of sqliteListJson: one JSON object per meeting, in the list's order (also run bare by `npm run bench -- cli`). */
export function listJsonQuery(filter: MeetingFilter): { sql: string; params: unknown[] } {
  // The columns the JSON shows, not meetings.*: a plan is only tested for null, never copied.
  const { sql, params } = listed(`meetings.id, meetings.title, meetings.status, meetings.source, meetings.start_at, meetings.end_at,
    meetings.organizer_email, meetings.user_id, meetings.plan_json is not null as has_plan, meetings.reminded_at, meetings.hubspot_note_id,
    meetings.roleplay_score, users.email as user_email, users.name as user_name`, filter);
  return {
    sql: `with
    listed as (${sql}),
    marks as materialized (${seriesMarksSql(filter)})
    select json_object(
      'id', m.id, 'title', m.title, 'status', m.status, 'source', m.source,
      'start', strftime('%Y-%m-%dT%H:%M:%fZ', m.start_at / 1000.0, 'unixepoch'),
      'end', strftime('%Y-%m-%dT%H:%M:%fZ', m.end_at / 1000.0, 'unixepoch'),
      'organizer', m.organizer_email,
      'salesperson', case when m.user_id is null or m.user_email is null then null else json_object('id', m.user_id, 'email', m.user_email, 'name', m.user_name) end,
      'clients', (select json_group_array(json_object('name', c.name, 'email', c.email, 'company', c.company) order by mc.client_id)
        from meeting_clients mc join clients c on c.id = mc.client_id where mc.meeting_id = m.id),
      'plan', json(case when m.has_plan or m.status = 'plan_sent' then 'true' else 'false' end),
      'reminder', json(case when m.reminded_at is null then 'false' else 'true' end),
      'hubspotNoteId', m.hubspot_note_id,
      'series', case when s.id is null then null else json_object('masterId', s.series_master_id, 'index', s.position, 'count', s.live) end,
      'score', m.roleplay_score
    )
    from listed m left join marks s on s.id = m.id
    order by m.start_at, m.id`,
    params,
  };
}

/**
 * The `meetings list --json` text for `filter`, in pieces of about 64 KiB, built by SQLite's JSON
 * functions: the output of `JSON.stringify(meetings.map(summaryJson))` (cli/format-meeting.ts)
 * byte for byte, without making an object per meeting. Rows are read one at a time and their
 * text is written as it comes: holding the whole 5 MB list, then copying it into one string and
 * that into one buffer, touched three times the memory and cost more than the query (fresh memory
 * is the dear part of a short-lived process). ISO times come from strftime ('%f' = seconds with
 * milliseconds); a series mark counts the series' meetings that are not cancelled, as
 * seriesMarks() does, over every series (an unfiltered list) or the listed ones (as
 * MeetingsRepo.seriesOfListed). The outer ORDER BY costs nothing: SQLite reads the list in that
 * order already.
 */
export function* sqliteListJson(database: BetterSqlite3.Database, filter: MeetingFilter): Generator<string, void, undefined> {
  const { sql, params } = listJsonQuery(filter);
  yield* joinedInPieces(database.prepare(sql).pluck().iterate(...params) as IterableIterator<string>, { separator: ',', open: '[', close: ']' });
}
