import type { MeetingStatus } from '../../store/database.js';
import { seriesMarks, type SeriesMark } from '../../domain/series-position.js';
import type { MeetingFilter, MeetingListData, MeetingSummaryRow } from '../../store/meetings-repo.js';
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
  /** The score (1-10) of the latest role-play practised for this meeting; null before any. */
  score: number | null;
}

export type { MeetingFilter, SeriesMark };

/** Whatever answers the list's queries: the store, or the CLI's direct SQLite reads. */
export interface ListSource {
  meetings: Pick<Store['meetings'], 'listSummaries'>;
}

/**
 * The meetings that match `filter`, soonest first, with their clients, salesperson and place in
 * their recurring series. The rows are read at once (see MeetingsRepo.listSummaries); each
 * summary is made as the result is iterated, so a caller that prints and moves on (`meetings
 * list --json`) never holds 10,000 of them.
 */
export async function readMeetings(store: ListSource, filter: MeetingFilter = {}): Promise<Iterable<MeetingSummary>> {
  const list = await store.meetings.listSummaries(filter);
  return summaries(list, seriesMarks(list.seriesMembers));
}

/** readMeetings() as one array (the terminal UI, which keeps the list to move around in). */
export async function listMeetings(store: Pick<Store, 'meetings'>, filter: MeetingFilter = {}): Promise<MeetingSummary[]> {
  return [...await readMeetings(store, filter)];
}

function* summaries(list: MeetingListData, marks: Map<number, SeriesMark>): Generator<MeetingSummary> {
  for (const row of list.rows) {
    const clients = row.client_ids === null ? [] : row.client_ids.split(',').map((id) => list.clients.get(Number(id)) ?? UNKNOWN_CLIENT);
    yield summarise(row, row.user_id === null ? null : list.users.get(row.user_id) ?? null, clients, marks.get(row.id) ?? null);
  }
}

/** A client deleted between the list's queries (its meetings lose it a moment later, by cascade). */
const UNKNOWN_CLIENT = { name: null, email: null, company: null };

export function summarise(row: MeetingSummaryRow, user: MeetingSummary['user'], clients: MeetingSummary['clients'], series: SeriesMark | null): MeetingSummary {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    source: row.source,
    startAt: Number(row.start_at),
    endAt: Number(row.end_at),
    organizerEmail: row.organizer_email,
    user,
    clients,
    markers: {
      // From what happened, not from the status: a meeting imported as history (meetings import
      // --include-past) is completed with no plan and no reminder, and a late reminder held back
      // behind an open question is reminder_sent before it is asked.
      plan: Number(row.has_plan) === 1 || row.status === 'plan_sent',
      reminder: row.reminded_at !== null,
      note: row.hubspot_note_id !== null,
    },
    hubspotNoteId: row.hubspot_note_id,
    series,
    score: row.roleplay_score === null ? null : Number(row.roleplay_score),
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
