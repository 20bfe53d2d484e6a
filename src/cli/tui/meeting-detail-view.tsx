import { Box, Text } from './ink.js';
import type { MeetingDetail } from '../../lifecycle/reading/meeting-details.js';
import { detailSections } from '../format-meeting.js';
import { STATUS_COLOURS, scoreColour } from './meeting-table.js';
import { useColour } from './colours.js';

export interface DetailLine {
  text: string;
  heading?: boolean;
  colour?: string;
}

/** The detail as one scrollable list of lines: headings, plan, transcript, jobs. */
export function detailLines(detail: MeetingDetail, timeZone?: string): DetailLine[] {
  const lines: DetailLine[] = [];
  for (const section of detailSections(detail, timeZone)) {
    if (lines.length > 0) lines.push({ text: '' });
    lines.push({ text: section.title, heading: true });
    for (const text of section.lines) {
      let colour: string | undefined;
      if (section.title === 'Jobs') colour = /\bfailed\b/.test(text) ? 'red' : /\bpending\b|\brunning\b/.test(text) ? 'yellow' : undefined;
      if (section.title === 'Conversation' && text.includes(' <- ')) colour = 'cyan';
      if (section.title === 'Meeting' && text.startsWith('Status:')) colour = STATUS_COLOURS[detail.status];
      const scored = section.title === 'Role-plays' ? /^#\d+ scored .*?: (\d+)\/10/.exec(text) : null;
      if (scored) colour = scoreColour(Number(scored[1]));
      lines.push({ text, colour });
    }
  }
  return lines;
}

export interface MeetingDetailViewProps {
  lines: DetailLine[];
  offset: number;
  height: number;
}

export function MeetingDetailView({ lines, offset, height }: MeetingDetailViewProps) {
  const colour = useColour();
  const visible = lines.slice(offset, offset + height);
  return (
    <Box flexDirection="column">
      {visible.map((line, i) => (
        <Text key={offset + i} bold={line.heading} underline={line.heading} color={colour(line.colour)} wrap="truncate">
          {line.text === '' ? ' ' : line.text}
        </Text>
      ))}
      {lines.length > offset + height ? <Text dimColor>… {lines.length - offset - height} more lines (↓)</Text> : null}
    </Box>
  );
}
