import type { CalendarEvent } from '../../domain/calendar-event.js';
import { ignoreReason, type TriageContext } from '../../domain/event-triage.js';
import { parseImportPayload, type ImportedMeeting } from '../../domain/import-payload.js';
import type { Services } from '../services.js';
import { upsertCalendarMeeting, type EventOutcome } from './upsert-calendar-meeting.js';

type Deps = Pick<Services, 'config' | 'clock' | 'store' | 'queue' | 'logger'>;

export interface ImportItemResult {
  /** Position in the payload (0 for a single object). */
  index: number;
  /** What the calendar ingest did with it, or 'rejected' when the item itself is malformed. */
  outcome: EventOutcome | 'rejected';
  meetingId?: number;
  title?: string;
  /** Why it was rejected or skipped; for rejections, the field at fault. */
  field?: string;
  reason?: string;
}

/**
 * `meetings import`: the seed's /outlook-webhook JSON, item by item, through the same ingest as
 * Graph events (organizer -> salesperson, plan job, reminder, unmatched invitations recorded),
 * so a team moving from the Make.com set-up keeps its upcoming meetings. Malformed items are
 * reported and the rest kept; importing the same payload again changes nothing.
 */
export async function importMeetings(deps: Deps, payload: unknown): Promise<ImportItemResult[]> {
  const parsed = parseImportPayload(payload);
  const results: ImportItemResult[] = parsed.rejected.map((r) => ({ index: r.index, outcome: 'rejected', field: r.field, reason: r.reason }));
  const triage: TriageContext = { botEmail: deps.config.bot.email, internalDomains: deps.config.microsoft.internalDomains, now: deps.clock.now() };
  for (const { index, meeting } of parsed.accepted) {
    results.push({ index, ...(await importOne(deps, meeting, triage)) });
  }
  return results.sort((a, b) => a.index - b.index);
}

async function importOne(deps: Deps, item: ImportedMeeting, triage: TriageContext): Promise<Omit<ImportItemResult, 'index'>> {
  const event = toCalendarEvent(item);
  const before = await deps.store.meetings.byEventId(event.id);
  const keptWithoutEmail = before ? (await deps.store.clients.forMeeting(before.id)).filter((c) => c.email === null) : [];
  const outcome = await upsertCalendarMeeting(deps, event, triage);
  const meeting = await deps.store.meetings.byEventId(event.id);
  if (!meeting) {
    return { outcome, title: item.title, reason: ignoreReason(event, triage)?.reason ?? 'not coachable' };
  }
  const now = deps.clock.now();
  if (meeting.source !== 'import') await deps.store.meetings.update(meeting.id, { source: 'import' });
  // The ingest knows attendees by email and name; the payload also gives company and HubSpot id.
  const ids: number[] = [];
  for (const client of item.clients) {
    if (client.email) {
      ids.push((await deps.store.clients.upsert({ email: client.email, name: client.name, company: client.company, hubspotContactId: client.hubspotContactId }, now)).id);
      continue;
    }
    const known = keptWithoutEmail.find((c) => c.hubspot_contact_id === client.hubspotContactId);
    ids.push(known ? known.id : (await deps.store.clients.upsert({ email: null, name: client.name, company: client.company, hubspotContactId: client.hubspotContactId }, now)).id);
  }
  const current = (await deps.store.clients.forMeeting(meeting.id)).map((c) => c.id).sort((a, b) => a - b);
  const wanted = [...new Set(ids)].sort((a, b) => a - b);
  if (current.join() !== wanted.join()) await deps.store.clients.setForMeeting(meeting.id, wanted);
  return { outcome, meetingId: meeting.id, title: meeting.title };
}

/** The payload item as the calendar event the ingest expects; its id is namespaced "import:". */
export function toCalendarEvent(item: ImportedMeeting): CalendarEvent {
  return {
    id: `import:${item.externalId}`,
    iCalUId: null,
    changeKey: null,
    subject: item.title,
    bodyPreview: item.body,
    location: item.location,
    joinUrl: null,
    startAt: item.startAt,
    endAt: item.endAt,
    organizerEmail: item.organizerEmail,
    organizerName: null,
    attendees: item.clients.filter((c) => c.email !== null).map((c) => ({ email: c.email!, name: c.name, type: 'required' as const, response: null })),
    isCancelled: false,
    isAllDay: false,
    type: 'singleInstance',
    seriesMasterId: null,
    ownResponse: null,
    sparse: false,
  };
}
