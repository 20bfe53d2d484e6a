import type { CalendarEvent } from '../../domain/calendar-event.js';
import { clientAttendees, ignoreReason, type TriageContext } from '../../domain/event-triage.js';
import { formatMeetingTime } from '../../domain/meeting-brief.js';
import { occurrenceKind } from '../../domain/recurring-series.js';
import type { MeetingRow, MeetingUpdate, UserRow } from '../../store/database.js';
import { cancelMeeting } from './cancel-meeting.js';
import { jobRequest } from '../jobs/job-kind.js';
import { ADMIN_ALERT } from '../jobs/job-kinds.js';
import type { Services } from '../services.js';
import { startCoaching } from '../coaching/start-coaching.js';

export type EventOutcome = 'new' | 'unmatched' | 'changed' | 'unchanged' | 'restored' | 'cancelled' | 'skipped';

type Deps = Pick<Services, 'config' | 'clock' | 'store' | 'queue' | 'logger'>;

/**
 * One calendar event -> its meeting. New events become meetings (matched to the organizer's
 * registered user, or recorded as unmatched and the admin told once); changes update the row
 * and move pending jobs; cancelled or no-longer-coachable events cancel it; an event that
 * comes back restores it. Writes nothing when nothing rolplay keeps has changed.
 */
export async function upsertCalendarMeeting(deps: Deps, event: CalendarEvent, triage: TriageContext): Promise<EventOutcome> {
  const { store, logger } = deps;
  const existing = await store.meetings.byEventId(event.id);
  if (event.isCancelled) {
    if (existing) return (await cancelMeeting(deps, existing, 'cancelled by the organizer')) ? 'cancelled' : 'unchanged';
    logger.debug({ event: event.id }, 'calendar event skipped: cancelled before rolplay saw it');
    return 'skipped';
  }
  const ignored = ignoreReason(event, triage);
  if (ignored) {
    // A tracked meeting that became all-day or was declined by the bot is off; an ended one stays as it was.
    if (existing && existing.status !== 'cancelled' && ignored.code !== 'ended') {
      return (await cancelMeeting(deps, existing, ignored.reason)) ? 'cancelled' : 'unchanged';
    }
    logger.debug({ event: event.id, reason: ignored.reason }, 'calendar event skipped');
    return 'skipped';
  }
  if (!event.organizerEmail) {
    logger.warn({ event: event.id, reason: 'no organizer address' }, 'calendar event skipped');
    return 'skipped';
  }
  const user = await store.users.byEmail(event.organizerEmail);
  const salespeople = await store.users.registeredAmong(event.attendees.map((a) => a.email));
  const clientEmails = clientAttendees(event, triage, salespeople);
  return existing ? update(deps, existing, event, user, clientEmails) : insert(deps, event, user, clientEmails);
}

async function insert(deps: Deps, event: CalendarEvent, user: UserRow | undefined, clients: CalendarEvent['attendees']): Promise<EventOutcome> {
  const now = deps.clock.now();
  const meeting = await deps.store.meetings.insert({ ...meetingFields(event, user), source: 'graph', status: 'scheduled', created_at: now, updated_at: now });
  await setClients(deps, meeting.id, clients, now);
  if (!user) {
    await tellAdminUnmatched(deps, meeting);
    deps.logger.info({ meeting: meeting.id, event: event.id, organizer: event.organizerEmail }, 'invitation from an unregistered organizer recorded (unmatched)');
    return 'unmatched';
  }
  await startCoaching(deps, meeting, event);
  deps.logger.debug({ meeting: meeting.id, event: event.id, user: user.id, clients: clients.length }, 'new meeting');
  return 'new';
}

async function update(deps: Deps, existing: MeetingRow, event: CalendarEvent, user: UserRow | undefined, clients: CalendarEvent['attendees']): Promise<EventOutcome> {
  const { store, clock } = deps;
  const now = clock.now();
  const fields = meetingFields(event, user);
  const patch: MeetingUpdate = {};
  for (const key of Object.keys(fields) as Array<keyof typeof fields>) {
    if (key !== 'change_key' && fields[key] !== existing[key]) (patch as Record<string, unknown>)[key] = fields[key];
  }
  const restoring = existing.status === 'cancelled';
  if (restoring) Object.assign(patch, { status: existing.cancelled_from && existing.cancelled_from !== 'cancelled' ? existing.cancelled_from : 'scheduled', cancelled_from: null, cancelled_at: null });
  const clientsChanged = await setClients(deps, existing.id, clients, now, true);
  if (Object.keys(patch).length === 0) {
    // Accepting, or edits rolplay does not keep, give a new change key: note it without calling it a change.
    if (event.changeKey !== existing.change_key) await store.meetings.update(existing.id, { change_key: event.changeKey });
    return clientsChanged ? 'changed' : 'unchanged';
  }
  const meeting = await store.meetings.update(existing.id, { ...patch, change_key: event.changeKey, updated_at: now });
  if (!meeting) return 'unchanged';
  const moved = patch.start_at !== undefined || patch.end_at !== undefined;
  const newlyMatched = existing.user_id === null && meeting.user_id !== null;
  if (meeting.user_id !== null && (moved || restoring || newlyMatched)) await startCoaching(deps, meeting, event, { accept: newlyMatched });
  // Per-event lines are debug: the poll's one summary line carries the counts.
  deps.logger.debug({ meeting: meeting.id, event: event.id, changed: Object.keys(patch), restored: restoring || undefined }, restoring ? 'meeting restored' : 'meeting changed');
  return restoring ? 'restored' : 'changed';
}

async function tellAdminUnmatched(deps: Deps, meeting: MeetingRow): Promise<void> {
  const when = formatMeetingTime(meeting.start_at, meeting.end_at, deps.config.defaults.timezone);
  const what = meeting.series_master_id ? `recurring invitation "${meeting.title}" (next: ${when})` : `invitation "${meeting.title}" (${when})`;
  const text = `${what} from ${meeting.organizer_email} is not coached: the organizer is not a registered salesperson. Add them with \`rolplay user add --email ${meeting.organizer_email} --name ... --phone ...\`, which picks ${meeting.series_master_id ? 'every occurrence' : 'this meeting'} up at once.`;
  // One alert per invitation: a series is one invitation, however many occurrences it has.
  const key = `unmatched:${meeting.series_master_id ?? meeting.event_id}`;
  await deps.queue.enqueue(jobRequest(ADMIN_ALERT, { key, text }, { dedupeKey: `${ADMIN_ALERT.name}:${key}`, meetingId: meeting.id }));
}

/** Makes the meeting's clients exactly these attendees; with `compare`, writes only on a difference. */
async function setClients(deps: Deps, meetingId: number, attendees: CalendarEvent['attendees'], now: number, compare = false): Promise<boolean> {
  if (compare) {
    const current = (await deps.store.clients.forMeeting(meetingId)).map((c) => c.email ?? '').sort();
    const wanted = attendees.map((a) => a.email).sort();
    if (current.length === wanted.length && current.every((e, i) => e === wanted[i])) return false;
  }
  const ids: number[] = [];
  for (const a of attendees) ids.push((await deps.store.clients.upsert({ email: a.email, name: a.name }, now)).id);
  await deps.store.clients.setForMeeting(meetingId, ids);
  return true;
}

/** The meeting row's columns that come from the calendar event (and its matched organizer). */
export function meetingFields(event: CalendarEvent, user: UserRow | undefined) {
  return {
    event_id: event.id,
    ical_uid: event.iCalUId,
    change_key: event.changeKey,
    title: event.subject,
    body_preview: event.bodyPreview,
    location: event.location,
    join_url: event.joinUrl,
    start_at: event.startAt,
    end_at: event.endAt,
    organizer_email: event.organizerEmail ?? '',
    user_id: user?.id ?? null,
    series_master_id: event.seriesMasterId,
    occurrence_kind: occurrenceKind(event),
  };
}
