import type { MeetingStatus } from '../../store/database.js';
import { seriesMarks, type SeriesMark, type SeriesMember } from '../../domain/series-position.js';
import { LIST_LIMIT, type MeetingFilter, type MeetingSummaryRow } from '../../store/meetings-repo.js';
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
 * The meetings that match `filter`, soonest first, with their clients (two queries in all) and
 * their places in their recurring series (one more query when the list is filtered).
 */
export async function listMeetings(store: Pick<Store, 'meetings'>, filter: MeetingFilter = {}): Promise<MeetingSummary[]> {
  const rows = await store.meetings.listSummaries(filter);
  const marks = seriesMarks(await seriesMembersOf(store, filter, rows));
  // A meeting added between the two queries has no row here, so its clients are just ignored.
  const clients = await store.meetings.listSummaryClients(filter);
  const byMeeting = new Map<number, MeetingSummary['clients']>();
  for (const c of clients) {
    let list = byMeeting.get(c.meeting_id);
    if (!list) byMeeting.set(c.meeting_id, (list = []));
    list.push({ name: c.name, email: c.email, company: c.company });
  }
  return rows.map((row) => summarise(row, byMeeting.get(row.id) ?? [], marks.get(row.id) ?? null));
}

/**
 * Every stored meeting of the series in `rows`. A list with no filter that the limit did not cut
 * already holds them all, in start order: no query then (the common `meetings list`).
 */
async function seriesMembersOf(store: Pick<Store, 'meetings'>, filter: MeetingFilter, rows: MeetingSummaryRow[]): Promise<SeriesMember[]> {
  if (!rows.some((r) => r.series_master_id !== null)) return [];
  const whole = Object.entries(filter).every(([key, value]) => key === 'limit' || value === undefined) && rows.length < (filter.limit ?? LIST_LIMIT);
  if (whole) return rows;
  const masterIds = new Set<string>();
  for (const r of rows) if (r.series_master_id !== null) masterIds.add(r.series_master_id);
  return store.meetings.seriesMembers([...masterIds]);
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
