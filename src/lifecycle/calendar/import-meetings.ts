import type { CalendarEvent } from '../../domain/calendar-event.js';
import { ignoreReason, type TriageContext } from '../../domain/event-triage.js';
import { parseImportPayload, type ImportedMeeting } from '../../domain/import-payload.js';
import type { Services } from '../services.js';
import { meetingFields, upsertCalendarMeeting, type EventOutcome } from './upsert-calendar-meeting.js';
import { scheduleFollowUp } from '../follow-up/schedule-follow-up.js';
import type { ClientRow } from '../../store/database.js';

type Deps = Pick<Services, 'config' | 'clock' | 'store' | 'queue' | 'logger'>;

export interface ImportItemResult {
  /** Position in the payload (0 for a single object). */
  index: number;
  /**
   * What the calendar ingest did with it, 'rejected' when the item itself is malformed, or (with
   * includePast) how a meeting that is already over was stored: 'completed', or
   * 'awaiting_outcome' when it ended within RECENT_PAST_MS and its reminder asks how it went.
   */
  outcome: EventOutcome | 'rejected' | PastOutcome;
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
export async function importMeetings(deps: Deps, payload: unknown, options: { includePast?: boolean } = {}): Promise<ImportItemResult[]> {
  const parsed = parseImportPayload(payload);
  const results: ImportItemResult[] = parsed.rejected.map((r) => ({ index: r.index, outcome: 'rejected', field: r.field, reason: r.reason }));
  const triage: TriageContext = { botEmail: deps.config.bot.email, internalDomains: deps.config.microsoft.internalDomains, now: deps.clock.now() };
  for (const { index, meeting } of parsed.accepted) {
    const past = options.includePast && meeting.endAt <= triage.now;
    results.push({ index, ...(await (past ? importPastMeeting(deps, meeting) : importOne(deps, meeting, triage))) });
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
  if (meeting.source !== 'import') await deps.store.meetings.update(meeting.id, { source: 'import' });
  await setImportedClients(deps, meeting.id, item.clients, keptWithoutEmail);
  return { outcome, meetingId: meeting.id, title: meeting.title };
}

/**
 * The payload's clients become the meeting's: the ingest knows attendees by email and name; the
 * payload also gives company and HubSpot id (and clients without an email, kept by HubSpot id).
 */
export async function setImportedClients(deps: Pick<Deps, 'clock' | 'store'>, meetingId: number, clients: ImportedMeeting['clients'], keptWithoutEmail: ClientRow[]): Promise<void> {
  const now = deps.clock.now();
  const ids: number[] = [];
  for (const client of clients) {
    if (client.email) {
      ids.push((await deps.store.clients.upsert({ email: client.email, name: client.name, company: client.company, hubspotContactId: client.hubspotContactId }, now)).id);
      continue;
    }
    const known = keptWithoutEmail.find((c) => c.hubspot_contact_id === client.hubspotContactId);
    ids.push(known ? known.id : (await deps.store.clients.upsert({ email: null, name: client.name, company: client.company, hubspotContactId: client.hubspotContactId }, now)).id);
  }
  const current = (await deps.store.clients.forMeeting(meetingId)).map((c) => c.id).sort((a, b) => a - b);
  const wanted = [...new Set(ids)].sort((a, b) => a - b);
  if (current.join() !== wanted.join()) await deps.store.clients.setForMeeting(meetingId, wanted);
}

export type PastOutcome = 'completed' | 'awaiting_outcome';

/** A past meeting that ended less than this long ago still gets its reminder asking how it went. */
export const RECENT_PAST_MS = 24 * 3_600_000;

/**
 * `--include-past`: a meeting already over is stored as history, never sent a plan. One that
 * ended within the last day with a registered salesperson awaits its outcome (the reminder goes
 * out when the daemon runs, and the answer is logged to HubSpot as usual); an older one, or an
 * unmatched one, is completed at once. Stored once: importing it again changes nothing.
 */
async function importPastMeeting(deps: Deps, item: ImportedMeeting): Promise<Omit<ImportItemResult, 'index'>> {
  const event = toCalendarEvent(item);
  const existing = await deps.store.meetings.byEventId(event.id);
  if (existing) return { outcome: 'unchanged', meetingId: existing.id, title: existing.title };
  const user = await deps.store.users.byEmail(item.organizerEmail);
  const now = deps.clock.now();
  const awaiting = user !== undefined && now - item.endAt < RECENT_PAST_MS;
  const meeting = await deps.store.meetings.insert({ ...meetingFields(event, user), source: 'import', status: awaiting ? 'scheduled' : 'completed', created_at: now, updated_at: now });
  await setImportedClients(deps, meeting.id, item.clients, []);
  if (awaiting) await scheduleFollowUp(deps, meeting);
  return { outcome: awaiting ? 'awaiting_outcome' : 'completed', meetingId: meeting.id, title: meeting.title };
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
