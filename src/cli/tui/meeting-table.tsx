import { Fragment, useMemo } from 'react';
import { Box, Text } from './ink.js';
import type { MeetingStatus } from '../../store/database.js';
import { clientLabel, type MeetingSummary } from '../../lifecycle/reading/list-meetings.js';
import { cellWidth, fitCells } from '../cell-width.js';
import { useColour } from './colours.js';
import { columnLayout, SCORE, type ColumnDemands, type ColumnKey } from './column-layout.js';
import { localTimeFormatter, salespersonLabel, scoreLabel, seriesLabel, titleLabel } from '../format-meeting.js';

export const STATUS_COLOURS: Record<MeetingStatus, string> = {
  scheduled: 'cyan',
  plan_sent: 'yellow',
  reminder_sent: 'magenta',
  completed: 'green',
  cancelled: 'gray',
};

/** One line of exactly `width` terminal cells (the measure ink wraps and truncates by). */
export function fit(text: string, width: number): string {
  return fitCells(text.replace(/\s+/g, ' '), width);
}

export interface MeetingTableProps {
  rows: MeetingSummary[];
  cursor: number;
  /** Index of the first row drawn (the window scrolls to keep the cursor visible). */
  offset: number;
  height: number;
  width: number;
  timeZone?: string;
}

const HEADERS: Record<ColumnKey, string> = {
  id: 'ID', start: 'START', person: 'SALESPERSON', clients: 'CLIENTS', title: 'TITLE', status: 'STATUS', markers: 'P R N', score: 'SCORE',
};

/** A practice score at a glance: 8 and up good, under 5 weak. */
export function scoreColour(score: number): string {
  return score >= 8 ? 'green' : score >= 5 ? 'yellow' : 'red';
}

/** What each column's content needs, over every row (so widths hold still while scrolling). */
export function columnDemands(rows: MeetingSummary[]): ColumnDemands {
  const demands: ColumnDemands = { id: 2, person: cellWidth(HEADERS.person), clients: cellWidth(HEADERS.clients), title: cellWidth(HEADERS.title), status: cellWidth(HEADERS.status), score: 0 };
  for (const m of rows) {
    demands.id = Math.max(demands.id, String(m.id).length);
    demands.person = Math.max(demands.person, cellWidth(salespersonLabel(m)));
    demands.clients = Math.max(demands.clients, cellWidth(clientLabel(m.clients)));
    demands.title = Math.max(demands.title, cellWidth(titleLabel(m)));
    demands.status = Math.max(demands.status, m.status.length);
    if (m.score !== null) demands.score = SCORE;
  }
  return demands;
}

export function MeetingTable({ rows, cursor, offset, height, width, timeZone }: MeetingTableProps) {
  const demands = useMemo(() => columnDemands(rows), [rows]);
  const layout = columnLayout(width, demands);
  const visible = rows.slice(offset, offset + height);
  const time = localTimeFormatter(timeZone);
  const colour = useColour();
  const cell = (m: MeetingSummary, key: ColumnKey, w: number) => {
    switch (key) {
      case 'id': return fit(String(m.id), w);
      case 'start': return fit(layout.shortStart ? time(m.startAt).slice(5) : time(m.startAt), w);
      case 'person': return <Text color={colour(m.user ? undefined : 'red')}>{m.user ? fit(m.user.name, w) : fitUnmatched(m.organizerEmail, w)}</Text>;
      case 'clients': return fit(clientLabel(m.clients), w);
      case 'title': return <Title meeting={m} width={w} />;
      case 'status': return <Text color={colour(STATUS_COLOURS[m.status])}>{fit(m.status, w)}</Text>;
      case 'markers': return <><Marker on={m.markers.plan} letter="P" /> <Marker on={m.markers.reminder} letter="R" /> <Marker on={m.markers.note} letter="N" /></>;
      case 'score': return m.score === null ? ' '.repeat(w) : <Text color={colour(scoreColour(m.score))}>{scoreLabel(m.score).padStart(w)}</Text>;
    }
  };
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {'  '}{layout.columns.map(({ key, width: w }) => fit(HEADERS[key], w)).join(' ')}
      </Text>
      {visible.map((m, i) => {
        const selected = offset + i === cursor;
        return (
          <Text key={m.id} inverse={selected} wrap="truncate">
            {selected ? '› ' : '  '}
            {layout.columns.map(({ key, width: w }, n) => <Fragment key={key}>{n > 0 ? ' ' : ''}{cell(m, key, w)}</Fragment>)}
          </Text>
        );
      })}
    </Box>
  );
}

/** "someone@elsewh… (unmatched)": the address is cut before the mark that says why the row is red. */
function fitUnmatched(email: string, width: number): string {
  const mark = ' (unmatched)';
  const full = `${email}${mark}`;
  if (cellWidth(full) <= width || width < mark.length + 6) return fit(full, width);
  return fit(email, width - mark.length) + mark;
}

/** The title, after the series mark ("↻ 3/12") in colour when the column has room for both. */
function Title({ meeting, width }: { meeting: MeetingSummary; width: number }) {
  const colour = useColour();
  const mark = seriesLabel(meeting.series);
  if (mark === '' || width < cellWidth(mark) + 4) return <>{fit(titleLabel(meeting), width)}</>;
  return <><Text color={colour('cyan')}>{mark}</Text>{' '}{fit(meeting.title, width - cellWidth(mark) - 1)}</>;
}

function Marker({ on, letter }: { on: boolean; letter: string }) {
  const colour = useColour();
  return on ? <Text color={colour('green')}>{letter}</Text> : <Text dimColor>·</Text>;
}
