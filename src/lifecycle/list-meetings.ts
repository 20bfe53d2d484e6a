import type { MeetingStatus } from '../store/database.js';
import type { MeetingFilter, MeetingSummaryRow } from '../store/meetings-repo.js';
import type { Store } from '../store/open-store.js';

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
}

export type { MeetingFilter };

/** The meetings that match `filter`, soonest first, with their clients (two queries in all). */
export async function listMeetings(store: Pick<Store, 'meetings'>, filter: MeetingFilter = {}): Promise<MeetingSummary[]> {
  const rows = await store.meetings.listSummaries(filter);
  // A meeting added between the two queries has no row here, so its clients are just ignored.
  const clients = await store.meetings.listSummaryClients(filter);
  const byMeeting = new Map<number, MeetingSummary['clients']>();
  for (const c of clients) {
    let list = byMeeting.get(c.meeting_id);
    if (!list) byMeeting.set(c.meeting_id, (list = []));
    list.push({ name: c.name, email: c.email, company: c.company });
  }
  return rows.map((row) => summarise(row, byMeeting.get(row.id) ?? []));
}

export function summarise(row: MeetingSummaryRow, clients: MeetingSummary['clients']): MeetingSummary {
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
