import type { CalendarEvent } from './calendar-event.js';

/**
 * Recurring meetings. Graph's calendarView/delta lists each occurrence of a series with only its
 * id, times and seriesMasterId; the series' title, organizer, attendees and body are on its
 * master (type seriesMaster, listed in full with its recurrence, or read on its own). Every
 * occurrence in the window is a meeting of its own, filled in from its master; an exception (an
 * occurrence edited on its own) is a full event and is used as it comes.
 */

/** The occurrence as a full event: times, id and kind its own, everything else its master's. */
export function fillFromMaster(occurrence: CalendarEvent, master: CalendarEvent): CalendarEvent {
  return {
    ...master,
    id: occurrence.id,
    iCalUId: occurrence.iCalUId,
    changeKey: occurrence.changeKey,
    startAt: occurrence.startAt,
    endAt: occurrence.endAt,
    // A cancelled series cancels its occurrences; a cancelled occurrence stays cancelled.
    isCancelled: occurrence.isCancelled || master.isCancelled,
    type: occurrence.type,
    seriesMasterId: occurrence.seriesMasterId ?? master.id,
    sparse: false,
  };
}

/** Whether an edit of the master changes what its occurrences are (not just its change key). */
export function seriesFieldsDiffer(a: CalendarEvent, b: CalendarEvent): boolean {
  return a.subject !== b.subject
    || a.bodyPreview !== b.bodyPreview
    || a.location !== b.location
    || a.joinUrl !== b.joinUrl
    || a.organizerEmail !== b.organizerEmail
    || a.isCancelled !== b.isCancelled
    || a.isAllDay !== b.isAllDay
    || a.ownResponse !== b.ownResponse
    || attendeeKey(a) !== attendeeKey(b);
}

/** The stored form of a master (calendar_series.event_json), read back defensively. */
export function masterFromJson(text: string): CalendarEvent | undefined {
  try {
    const value = JSON.parse(text) as Partial<CalendarEvent>;
    if (typeof value.id !== 'string' || typeof value.subject !== 'string' || !Array.isArray(value.attendees)) return undefined;
    return { ...value, sparse: false } as CalendarEvent;
  } catch {
    return undefined;
  }
}

/** Which kind of series member a meeting is, for meetings.occurrence_kind. */
export function occurrenceKind(event: CalendarEvent): 'occurrence' | 'exception' | null {
  if (event.type === 'occurrence') return 'occurrence';
  if (event.type === 'exception') return 'exception';
  return null;
}

function attendeeKey(event: CalendarEvent): string {
  return event.attendees.map((a) => `${a.email}|${a.type}|${a.response ?? ''}`).sort().join(',');
}
