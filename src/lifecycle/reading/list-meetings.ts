import type { MeetingStatus } from '../../store/database.js';
import { seriesMarks, type SeriesMark } from '../../domain/series-position.js';
import type { MeetingFilter, MeetingLineRow, MeetingSummaryRow } from '../../store/meetings-repo.js';
import type { Store } from '../../store/open-store.js';

/** One line of `rolplay meetings list`: what an operator scans for, nothing more. */
export interface MeetingSummary {
  id: number;
  title: string;
  status: MeetingStatus;
  source: 'graph' | 'import';
  /** Epoch ms, UTC. */
  startAt: number;
  endAt: number;
  organizerEmail: string;
  /** The registered salesperson; null = an unmatched invitation (organizer not registered). */
  user: { id: number; email: string; name: string } | null;
  clients: Array<{ name: string | null; email: string | null; company: string | null }>;
  markers: { plan: boolean; reminder: boolean; note: boolean };
  hubspotNoteId: string | null;
  /** Its place in its recurring series ("↻ 3/12"); null for a single meeting. */
  series: SeriesMark | null;
}

export type { MeetingFilter, SeriesMark };

/**
 * The meetings that match `filter`, soonest first, with their clients and their places in their
 * recurring series: one query for the series, one for the list itself, whose rows stream in
 * (see MeetingsRepo.listLines), so each meeting is made, used and dropped in turn.
 */
export async function* eachMeeting(store: Pick<Store, 'meetings'>, filter: MeetingFilter = {}): AsyncGenerator<MeetingSummary> {
  const marks = seriesMarks(await store.meetings.listedSeriesMembers(filter));
  // A meeting of a series added between the two queries has no mark yet: it lists as a single meeting.
  let row: MeetingLineRow | undefined;
  let clients: MeetingSummary['clients'] = [];
  for await (const line of store.meetings.listLines(filter)) {
    if (row !== undefined && line.id !== row.id) {
      yield summarise(row, clients, marks.get(row.id) ?? null);
      clients = [];
    }
    row = line;
    if (line.client_id !== null) clients.push({ name: line.client_name, email: line.client_email, company: line.client_company });
  }
  if (row !== undefined) yield summarise(row, clients, marks.get(row.id) ?? null);
}

/** eachMeeting() as one array (the terminal UI, which keeps the list to move around in). */
export async function listMeetings(store: Pick<Store, 'meetings'>, filter: MeetingFilter = {}): Promise<MeetingSummary[]> {
  const meetings: MeetingSummary[] = [];
  for await (const m of eachMeeting(store, filter)) meetings.push(m);
  return meetings;
}

export function summarise(row: MeetingSummaryRow, clients: MeetingSummary['clients'], series: SeriesMark | null): MeetingSummary {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    source: row.source,
    startAt: Number(row.start_at),
    endAt: Number(row.end_at),
    organizerEmail: row.organizer_email,
    user: row.user_id !== null && row.user_email !== null ? { id: row.user_id, email: row.user_email, name: row.user_name ?? row.user_email } : null,
    clients,
    markers: {
      plan: Number(row.has_plan) === 1 || row.status === 'plan_sent' || row.status === 'reminder_sent' || row.status === 'completed',
      reminder: row.status === 'reminder_sent' || row.status === 'completed',
      note: row.hubspot_note_id !== null,
    },
    hubspotNoteId: row.hubspot_note_id,
    series,
  };
}

/** Text a `/` search matches against: title, people, companies, organizer. */
export function searchText(m: MeetingSummary): string {
  return [
    m.title,
    m.organizerEmail,
    m.user?.name ?? '',
    m.user?.email ?? '',
    ...m.clients.flatMap((c) => [c.name ?? '', c.email ?? '', c.company ?? '']),
    String(m.id),
  ].join(' ').toLowerCase();
}

/** "Ana Ruiz (Acme), bob@globex.com" */
export function clientLabel(clients: MeetingSummary['clients']): string {
  if (clients.length === 0) return '-';
  return clients.map((c) => {
    const who = c.name ?? c.email ?? '?';
    return c.company ? `${who} (${c.company})` : who;
  }).join(', ');
}
