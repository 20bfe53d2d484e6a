import { formatGraphDateTime } from '../domain/graph-time.js';
import type { SimEventData } from './graph-sim-calendar.js';

/**
 * How the simulated Graph writes an event resource. Full events follow the event resource page
 * (https://learn.microsoft.com/en-us/graph/api/resources/event); the sparse occurrence follows
 * what users report calendarView/delta really sends for an occurrence of a series
 * (microsoftgraph/microsoft-graph-docs#1716, #7632, #22197; microsoft-graph-docs-contrib#34).
 */

/** The full Graph event resource, with times rendered in `zone` (Prefer: outlook.timezone). */
export function renderEvent(id: string, data: SimEventData, changeKey: string, modifiedAt: number, botEmail: string, zone: string | undefined): Record<string, unknown> {
  const tz = zone ?? 'UTC';
  const bot = botEmail.toLowerCase();
  const resource: Record<string, unknown> = {
    '@odata.etag': `W/"${changeKey}"`,
    id,
    createdDateTime: new Date(data.createdAt).toISOString(),
    lastModifiedDateTime: new Date(modifiedAt).toISOString(),
    changeKey,
    categories: [],
    // Present and null in the event-delta reference page's example.
    transactionId: null,
    originalStartTimeZone: 'UTC',
    originalEndTimeZone: 'UTC',
    iCalUId: data.iCalUId,
    uid: data.iCalUId,
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    subject: data.subject,
    bodyPreview: data.body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 255),
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: data.isAllDay,
    isCancelled: data.isCancelled,
    isOrganizer: data.organizer.email.toLowerCase() === bot,
    responseRequested: true,
    seriesMasterId: data.seriesMasterId,
    showAs: data.isCancelled ? 'free' : 'tentative',
    type: data.type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: data.joinUrl !== '',
    onlineMeetingProvider: data.joinUrl !== '' ? 'teamsForBusiness' : 'unknown',
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: { response: data.botResponse, time: '0001-01-01T00:00:00Z' },
    body: { contentType: 'html', content: data.body === '' ? '' : `<html><body>${data.body}</body></html>` },
    start: { dateTime: formatGraphDateTime(data.start, tz), timeZone: tz },
    end: { dateTime: formatGraphDateTime(data.end, tz), timeZone: tz },
    location: { displayName: data.location, locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} },
    locations: data.location === '' ? [] : [{ displayName: data.location, locationType: 'default', uniqueIdType: 'unknown' }],
    recurrence: data.recurrence,
    attendees: data.attendees.map((a) => ({ type: a.type, status: { response: a.response, time: '0001-01-01T00:00:00Z' }, emailAddress: { name: a.name, address: a.email } })),
    organizer: { emailAddress: { name: data.organizer.name, address: data.organizer.email } },
    onlineMeeting: data.joinUrl === '' ? null : { joinUrl: data.joinUrl },
  };
  for (const [key, value] of Object.entries(data.extra)) {
    if (value === undefined) delete resource[key];
    else resource[key] = value;
  }
  return resource;
}


/**
 * An occurrence of a series as calendarView/delta lists it: only these seven members, no
 * subject, organizer, attendees, body or location (the reports named at the top of this file;
 * the reference page still claims delta returns what GET calendarView returns).
 */
export function renderSparseOccurrence(id: string, data: SimEventData, changeKey: string, zone: string | undefined): Record<string, unknown> {
  const tz = zone ?? 'UTC';
  return {
    '@odata.type': '#microsoft.graph.event',
    '@odata.etag': `W/"${changeKey}"`,
    id,
    seriesMasterId: data.seriesMasterId,
    type: 'occurrence',
    start: { dateTime: formatGraphDateTime(data.start, tz), timeZone: tz },
    end: { dateTime: formatGraphDateTime(data.end, tz), timeZone: tz },
  };
}
