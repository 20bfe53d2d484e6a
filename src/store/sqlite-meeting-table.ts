import type BetterSqlite3 from 'better-sqlite3';
import type { MeetingFilter } from './meeting-list-filter.js';
import { joinedInPieces } from '../support/text-pieces.js';
import { listed, seriesMarksSql } from './sqlite-meeting-list.js';

/** What the plain table looks like, from the CLI (cli/format-meeting.ts, cli/narrow-width.ts). */
export interface TableLayout {
  /** The eight column headers, ID and START first. */
  headers: string[];
  /** A START cell: the local time of a meeting's start (epoch ms). */
  time: (epochMs: number) => string;
  /** The characters that take one terminal cell each, as the body of a GLOB character class. */
  oneCellGlobClass: string;
}

const NBSP = String.fromCharCode(0xa0);

/**
 * The cells of tableRow() (cli/format-meeting.ts) in SQL, after START: the
 * salesperson or "organizer (unmatched)", the clients as "Name (Company)" joined by ", " ("-" for
 * none), the title after its series mark ("↻ 3/12", U+21BB), status, P/R/N and score.
 */
const CELLS = `m.id, m.title, cast(m.id as text) as c0, m.start_at as c1,
  case when m.uid is null then m.organizer_email || ' (unmatched)' else m.user_name end as c2,
  coalesce((select group_concat(coalesce(c.name, c.email, '?') || case when c.company <> '' then ' (' || c.company || ')' else '' end, ', ' order by mc.client_id)
    from meeting_clients mc join clients c on c.id = mc.client_id where mc.meeting_id = m.id), '-') as c3,
  case when s.id is null then m.title else char(8635) || ' ' || coalesce(s.position, '-') || '/' || s.live || ' ' || m.title end as c4,
  m.status as c5,
  case when m.has_plan or m.status = 'plan_sent' then 'P' else '-' end
    || case when m.reminded_at is null then '-' else 'R' end
    || case when m.hubspot_note_id is null then '-' else 'N' end as c6,
  case when m.roleplay_score is null then '' else m.roleplay_score || '/10' end as c7`;

/**
 * The query of sqliteListTable: per row, the ID cell padded, the start (epoch ms), the cells after
 * START padded, then the widths and checks (also run bare by `npm run bench -- cli`).
 */
export function listTableQuery(filter: MeetingFilter, layout: Pick<TableLayout, 'headers' | 'oneCellGlobClass'>): { sql: string; params: unknown[] } {
  // The columns the table shows, not meetings.*: a plan is only tested for null, never copied.
  const { sql, params } = listed(`meetings.id, meetings.title, meetings.status, meetings.start_at, meetings.organizer_email,
    meetings.plan_json is not null as has_plan, meetings.reminded_at, meetings.hubspot_note_id, meetings.roleplay_score,
    users.id as uid, users.name as user_name`, filter);
  const header = layout.headers.map((h) => h.length);
  const spaces = "' ' || char(160)";
  return {
    sql: `with
    listed as (${sql}),
    marks as materialized (${seriesMarksSql(filter)}),
    cells as materialized (select ${CELLS} from listed m left join marks s on s.id = m.id),
    widths as (select
      max(${header[0]}, max(length(c0))) as w0, max(${header[2]}, max(length(c2))) as w2, max(${header[3]}, max(length(c3))) as w3,
      max(${header[4]}, max(length(c4))) as w4, max(${header[5]}, max(length(c5))) as w5, max(${header[6]}, max(length(c6))) as w6,
      min(c1) as earliest, max(c1) as latest,
      max(instr(j, '  ') or (instr(j, char(160)) and j glob @run)
        or c2 <> trim(c2, ${spaces}) or c3 <> trim(c3, ${spaces}) or c4 <> trim(c4, ${spaces})
        or case when length(k) = octet_length(k) then k glob '*[^ -~]*' else k glob @other end) as unusual
      from (select *, c2 || c3 || c4 as j, c2 || c3 || title as k from cells))
    select printf('%-*s', w0, c0), c1, rtrim(printf('%!-*s  %!-*s  %!-*s  %-*s  %-*s  %s', w2, c2, w3, c3, w4, c4, w5, c5, w6, c6, c7), ' '),
      w0, w2, w3, w4, w5, w6, earliest, latest, unusual
    from cells, widths order by c1, id`,
    params: [...params, { run: `*[ ${NBSP}][ ${NBSP}]*`, other: `*[^${layout.oneCellGlobClass}]*` }],
  };
}

/**
 * The plain `meetings list` table (cli/format-table.ts's formatTable over the list's rows) made
 * by SQLite, in pieces of about 64 KiB of lines: 10,000 meetings as objects, then 80,000 cells,
 * then their lines, touched fresh memory that cost more than the query. SQLite measures each
 * column (the widest of its header and its cells) and pads the cells with printf ('%!-*s' counts
 * characters, not bytes); the START cells come from `layout.time`.
 *
 * Only for text each character of which takes one terminal cell, and that needs no flattening:
 * when a salesperson, clients or title cell holds another character (王伟明, an emoji, a tab, a
 * line break, an escape), a run of spaces, or a space at either end, or when a START cell would
 * not be 16 characters (a year before 1000 or after 9999), this returns undefined and the caller
 * formats the table itself. SQLite looks before it writes the first line: instr and trim for the
 * spaces; GLOB for other characters, over the three cells joined (the title without its series
 * mark, whose ↻ would make every such row non-ASCII), with a one-range class for ASCII text,
 * the usual case and a cheaper test.
 * An empty list has no piece.
 */
export function sqliteListTable(database: BetterSqlite3.Database, filter: MeetingFilter, layout: TableLayout): Iterable<string> | undefined {
  const { sql, params } = listTableQuery(filter, layout);
  const rows = database.prepare(sql).raw().iterate(...params) as IterableIterator<Row>;
  const first = rows.next();
  if (first.done) return [];
  const [, , , w0, w2, w3, w4, w5, w6, earliest, latest, unusual] = first.value;
  if (unusual === 1 || layout.time(earliest!).length !== 16 || layout.time(latest!).length !== 16) {
    rows.return?.();
    return undefined;
  }
  const widths = [w0!, Math.max(layout.headers[1]!.length, 16), w2!, w3!, w4!, w5!, w6!];
  const header = layout.headers.map((h, i) => (i === layout.headers.length - 1 ? h : h.padEnd(widths[i]!))).join('  ').trimEnd();
  return joinedInPieces(lines(first.value, rows, layout.time, ' '.repeat(widths[1]! - 16 + 2)), { open: `${header}\n` });
}

/** A row: the ID cell padded, the start (epoch ms), the cells after START padded, then the widths and checks. */
type Row = [string, number, string, ...number[]];

/** Each row's line: the ID cell, START, and the padded cells after it. */
function* lines(first: Row, rest: Iterator<Row>, time: TableLayout['time'], startPad: string): Generator<string, void, undefined> {
  for (let row: IteratorResult<Row> = { done: false, value: first }; !row.done; row = rest.next()) {
    const [id, start, after] = row.value;
    yield after === '' ? `${id}  ${time(start)}\n` : `${id}  ${time(start)}${startPad}${after}\n`;
  }
}
