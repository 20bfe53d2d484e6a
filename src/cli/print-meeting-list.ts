import { once } from 'node:events';
import { eachMeeting, type MeetingFilter, type MeetingSummary } from '../lifecycle/reading/list-meetings.js';
import type { Store } from '../store/open-store.js';
import { print, type CliIo } from './cli-context.js';
import { formatTable } from './format-table.js';
import { TABLE_HEADERS, localTimeFormatter, summaryJson, tableRow } from './format-meeting.js';

/** JSON goes out in pieces of about this many characters, not as one string of the whole list. */
const PIECE = 64 * 1024;

/** `rolplay meetings list` when it does not draw the terminal UI: the plain table, or `--json`. */
export async function printMeetingList(io: CliIo, store: Pick<Store, 'meetings'>, filter: MeetingFilter, json: boolean): Promise<void> {
  if (json) return printJsonArray(io, eachMeeting(store, filter));
  const time = localTimeFormatter();
  const rows: string[][] = [];
  for await (const m of eachMeeting(store, filter)) rows.push(tableRow(m, time));
  if (rows.length === 0) {
    print(io, 'No meetings match. Meetings appear once a registered salesperson invites the bot (see `rolplay doctor`), or with `rolplay meetings import`.');
    return;
  }
  print(io, formatTable(TABLE_HEADERS, rows));
}

/**
 * `JSON.stringify(meetings.map(summaryJson))` and a newline, byte for byte, written as the
 * meetings stream in: each meeting's objects die young instead of surviving, with 10,000
 * others, collection after collection (which cost more than the query on a large list).
 */
async function printJsonArray(io: CliIo, meetings: AsyncIterable<MeetingSummary>): Promise<void> {
  let text = '[';
  let first = true;
  for await (const m of meetings) {
    text += `${first ? '' : ','}${JSON.stringify(summaryJson(m))}`;
    first = false;
    if (text.length >= PIECE) {
      await write(io, text);
      text = '';
    }
  }
  await write(io, `${text}]\n`);
}

/** Writes, then waits for a slow reader to catch up rather than buffering the whole list. */
async function write(io: CliIo, text: string): Promise<void> {
  if (!io.stdout.write(text)) await once(io.stdout, 'drain');
}
