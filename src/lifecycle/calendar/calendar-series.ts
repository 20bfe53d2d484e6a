import type { CalendarChange, CalendarEvent } from '../../domain/calendar-event.js';
import type { TriageContext } from '../../domain/event-triage.js';
import { fillFromMaster, masterFromJson, seriesFieldsDiffer } from '../../domain/recurring-series.js';
import { errorMessage } from '../../support/errors.js';
import type { MeetingRow } from '../../store/database.js';
import type { CalendarSource } from '../../clients/graph/calendar-source.js';
import { cancelMeeting } from './cancel-meeting.js';
import { upsertCalendarMeeting, type EventOutcome } from './upsert-calendar-meeting.js';
import type { Services } from '../services.js';

type Deps = Pick<Services, 'config' | 'clock' | 'store' | 'queue' | 'logger'>;
type Counts = Record<EventOutcome, number>;

/**
 * The series masters a delta page needs, found before the page's transaction (so no Graph call
 * runs under the store's write lock): from the page itself, else from what the store kept, else
 * with one read of the master per series, however many of its occurrences the page holds.
 */
export interface SeriesLookup {
  masters: Map<string, CalendarEvent>;
  /** Masters read from Graph for this page: stored with it. */
  fetched: Set<string>;
  /**
   * Series whose master could not be read (deleted meanwhile, no permission, throttled): their
   * occurrences are skipped, never stored half-filled, and the round's delta link is not kept,
   * so the next poll lists them again and tries once more.
   */
  unresolved: Map<string, string>;
}

export async function lookUpMasters(deps: Pick<Services, 'store' | 'logger'>, calendar: CalendarSource, changes: CalendarChange[]): Promise<SeriesLookup> {
  const lookup: SeriesLookup = { masters: new Map(), fetched: new Set(), unresolved: new Map() };
  const wanted = new Set<string>();
  for (const change of changes) {
    if (change.kind !== 'upsert') continue;
    if (change.event.type === 'seriesMaster') lookup.masters.set(change.event.id, change.event);
    else if (change.event.sparse && change.event.seriesMasterId) wanted.add(change.event.seriesMasterId);
  }
  const missing = [...wanted].filter((id) => !lookup.masters.has(id));
  if (missing.length === 0) return lookup;
  for (const [id, row] of await deps.store.series.getMany(missing)) {
    const master = masterFromJson(row.event_json);
    if (master) lookup.masters.set(id, master);
  }
  for (const id of missing.filter((m) => !lookup.masters.has(m))) {
    try {
      const master = await calendar.getEvent(id);
      if (master?.type === 'seriesMaster') {
        lookup.masters.set(id, master);
        lookup.fetched.add(id);
      } else {
        lookup.unresolved.set(id, master ? `not a series master (type ${master.type ?? 'unknown'})` : 'the series master does not exist (404)');
      }
    } catch (error) {
      lookup.unresolved.set(id, errorMessage(error));
    }
  }
  for (const [id, reason] of lookup.unresolved) {
    const occurrences = changes.filter((c) => c.kind === 'upsert' && c.event.seriesMasterId === id).length;
    deps.logger.warn({ series: id, occurrences, reason }, 'occurrences of a recurring meeting skipped: their series master could not be read; trying again at the next poll');
  }
  return lookup;
}

/**
 * A series master from Graph: kept (so later occurrences are filled in without reading it), and
 * when what its occurrences share changed, the future plain occurrences follow (exceptions keep
 * their own fields, past meetings stay as they were); a cancelled series cancels every future one.
 */
export async function applyMaster(deps: Deps, master: CalendarEvent, triage: TriageContext, counts: Counts): Promise<void> {
  const { store, clock } = deps;
  const row = await store.series.get(master.id);
  const before = row ? masterFromJson(row.event_json) : undefined;
  const eventJson = JSON.stringify(master);
  if (row?.event_json !== eventJson) await store.series.upsert({ master_id: master.id, change_key: master.changeKey, event_json: eventJson, updated_at: clock.now() });
  if (before && !seriesFieldsDiffer(before, master)) return;
  for (const meeting of await store.meetings.futureOfSeries(master.id, clock.now())) {
    if (master.isCancelled) {
      counts[(await cancelMeeting(deps, meeting, 'the organizer cancelled the series')) ? 'cancelled' : 'unchanged']++;
    } else if (meeting.occurrence_kind === 'occurrence') {
      counts[await upsertCalendarMeeting(deps, fillFromMaster(occurrenceOf(meeting), master), triage)]++;
    }
  }
}

/** A series deleted from the calendar: every future occurrence is off. */
export async function cancelSeries(deps: Deps, masterId: string, counts: Counts): Promise<void> {
  for (const meeting of await deps.store.meetings.futureOfSeries(masterId, deps.clock.now())) {
    counts[(await cancelMeeting(deps, meeting, 'the series was deleted from the calendar')) ? 'cancelled' : 'unchanged']++;
  }
}

/** An occurrence as delta lists it, rebuilt from its meeting row. */
function occurrenceOf(meeting: MeetingRow): CalendarEvent {
  return {
    id: meeting.event_id, iCalUId: meeting.ical_uid, changeKey: meeting.change_key, subject: '', bodyPreview: null, location: null, joinUrl: null,
    startAt: Number(meeting.start_at), endAt: Number(meeting.end_at), organizerEmail: null, organizerName: null, attendees: [],
    isCancelled: false, isAllDay: false, type: 'occurrence', seriesMasterId: meeting.series_master_id, ownResponse: null, sparse: true,
  };
}
