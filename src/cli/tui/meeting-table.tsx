import { Box, Text } from 'ink';
import type { MeetingStatus } from '../../store/database.js';
import { clientLabel, type MeetingSummary } from '../../lifecycle/reading/list-meetings.js';
import { localTimeFormatter, salespersonLabel, seriesLabel, titleLabel } from '../format-meeting.js';

export const STATUS_COLOURS: Record<MeetingStatus, string> = {
  scheduled: 'cyan',
  plan_sent: 'yellow',
  reminder_sent: 'magenta',
  completed: 'green',
  cancelled: 'gray',
};

interface Columns {
  start: number;
  person: number;
  clients: number;
  title: number;
  status: number;
  markers: number;
}

/** Fixed columns for time, status and markers; names and title share what the terminal has left. */
export function columnWidths(width: number): Columns {
  const fixed = { start: 16, status: 13, markers: 5 };
  const gaps = 2 /* cursor */ + 5 * 1;
  const rest = Math.max(30, width - fixed.start - fixed.status - fixed.markers - gaps);
  const person = Math.max(8, Math.floor(rest * 0.22));
  const clients = Math.max(8, Math.floor(rest * 0.3));
  return { ...fixed, person, clients, title: Math.max(8, rest - person - clients) };
}

export function fit(text: string, width: number): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  if (chars.length <= width) return chars.join('') + ' '.repeat(width - chars.length);
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
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

export function MeetingTable({ rows, cursor, offset, height, width, timeZone }: MeetingTableProps) {
  const w = columnWidths(width);
  const visible = rows.slice(offset, offset + height);
  const time = localTimeFormatter(timeZone);
  return (
    <Box flexDirection="column">
      <Text bold>
        {'  '}{fit('START', w.start)} {fit('SALESPERSON', w.person)} {fit('CLIENTS', w.clients)} {fit('TITLE', w.title)} {fit('STATUS', w.status)} {fit('P R N', w.markers)}
      </Text>
      {visible.map((m, i) => {
        const selected = offset + i === cursor;
        return (
          <Text key={m.id} inverse={selected} wrap="truncate">
            {selected ? '› ' : '  '}
            {fit(time(m.startAt), w.start)}{' '}
            <Text color={m.user ? undefined : 'red'}>{fit(salespersonLabel(m), w.person)}</Text>{' '}
            {fit(clientLabel(m.clients), w.clients)}{' '}
            <Title meeting={m} width={w.title} />{' '}
            <Text color={STATUS_COLOURS[m.status]}>{fit(m.status, w.status)}</Text>{' '}
            <Marker on={m.markers.plan} letter="P" /> <Marker on={m.markers.reminder} letter="R" /> <Marker on={m.markers.note} letter="N" />
          </Text>
        );
      })}
    </Box>
  );
}

/** The title, after the series mark ("↻ 3/12") in colour when the column has room for both. */
function Title({ meeting, width }: { meeting: MeetingSummary; width: number }) {
  const mark = seriesLabel(meeting.series);
  if (mark === '' || width < mark.length + 4) return <>{fit(titleLabel(meeting), width)}</>;
  return <><Text color="cyan">{mark}</Text>{' '}{fit(meeting.title, width - mark.length - 1)}</>;
}

function Marker({ on, letter }: { on: boolean; letter: string }) {
  return on ? <Text color="green">{letter}</Text> : <Text dimColor>·</Text>;
}
