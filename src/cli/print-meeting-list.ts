import { readMeetings, type ListSource, type MeetingFilter, type MeetingSummary } from '../lifecycle/reading/list-meetings.js';
import type { SqliteReads } from '../store/sqlite-reads.js';
import { joinedInPieces } from '../support/text-pieces.js';
import { blockPipedOutput } from './block-piped-output.js';
import { print, type CliIo } from './cli-context.js';
import { formatTable } from './format-table.js';
import { TABLE_HEADERS, localTimeFormatter, summaryJson, tableRow } from './format-meeting.js';
import { ONE_CELL_GLOB_CLASS } from './narrow-width.js';
import { keepYoungGenerationSmall } from './short-lived-heap.js';

const NO_MEETINGS = 'No meetings match. Meetings appear once a registered salesperson invites the bot (see `rolplay doctor`), or with `rolplay meetings import`.';

/** `rolplay meetings list` when it does not draw the terminal UI: the plain table, or `--json`. */
export async function printMeetingList(io: CliIo, store: ListSource | Pick<SqliteReads, 'meetings'>, filter: MeetingFilter, json: boolean): Promise<void> {
  keepYoungGenerationSmall(io.stdout);
  blockPipedOutput(io.stdout);
  if ('listJson' in store.meetings) {
    // The embedded store writes either form itself, as it reads (see sqlite-meeting-list.ts and
    // sqlite-meeting-table.ts); a table whose text needs string-width's measuring is made below.
    if (json) {
      for (const piece of store.meetings.listJson(filter)) io.stdout.write(piece);
      io.stdout.write('\n');
      return;
    }
    const pieces = await store.meetings.listTable(filter, { headers: TABLE_HEADERS, time: localTimeFormatter(), oneCellGlobClass: ONE_CELL_GLOB_CLASS });
    if (pieces) {
      let empty = true;
      for (const piece of pieces) {
        io.stdout.write(piece);
        empty = false;
      }
      if (empty) print(io, NO_MEETINGS);
      return;
    }
  }
  const meetings = await readMeetings(store, filter);
  if (json) {
    // `JSON.stringify(meetings.map(summaryJson))` byte for byte, written as it is made: each
    // meeting's objects die young instead of surviving collection after collection with
    // 10,000 others (which cost more than the query on a large list).
    for (const piece of joinedInPieces(jsonOf(meetings), { separator: ',', open: '[', close: ']\n' })) io.stdout.write(piece);
    return;
  }
  const time = localTimeFormatter();
  const rows: string[][] = [];
  for (const m of meetings) rows.push(tableRow(m, time));
  if (rows.length === 0) {
    print(io, NO_MEETINGS);
    return;
  }
  print(io, await formatTable(TABLE_HEADERS, rows));
}

function* jsonOf(meetings: Iterable<MeetingSummary>): Generator<string> {
  for (const m of meetings) yield JSON.stringify(summaryJson(m));
}
