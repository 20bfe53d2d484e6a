import { describe, expect, it } from 'vitest';
import { parseGraphEvent, type CalendarEvent } from '../../src/domain/calendar-event.js';
import { fillFromMaster, masterFromJson, occurrenceKind, seriesFieldsDiffer } from '../../src/domain/recurring-series.js';

const MASTER = 'AAMkMaster=';
const master = upsert({
  '@odata.etag': 'W/"m1"', id: MASTER, changeKey: 'm1', type: 'seriesMaster', subject: 'Weekly review', bodyPreview: 'Pipeline',
  start: { dateTime: '2026-01-05T15:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-01-05T15:30:00.0000000', timeZone: 'UTC' },
  organizer: { emailAddress: { name: 'Sam', address: 'Sam@Example.com' } },
  attendees: [{ type: 'required', status: { response: 'none' }, emailAddress: { address: 'ana@client.example' } }],
  recurrence: { pattern: { type: 'weekly' } },
});
// Exactly the seven members users report for an occurrence in delta (microsoft-graph-docs#7632).
const sparse = {
  '@odata.type': '#microsoft.graph.event', '@odata.etag': 'W/"DwAAABYAAAC9"', id: 'AAMkOcc1=', seriesMasterId: MASTER, type: 'occurrence',
  start: { dateTime: '2026-01-12T15:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-01-12T15:30:00.0000000', timeZone: 'UTC' },
};

function upsert(raw: Record<string, unknown>): CalendarEvent {
  const change = parseGraphEvent(raw);
  if (change.kind !== 'upsert') throw new Error(JSON.stringify(change));
  return change.event;
}

describe('recurring series', () => {
  it('recognises a sparse occurrence by what it lacks, and takes its change key from the ETag', () => {
    const occurrence = upsert(sparse);
    expect(occurrence).toMatchObject({ sparse: true, changeKey: 'DwAAABYAAAC9', organizerEmail: null, attendees: [], subject: '(no subject)' });
    expect(upsert({ ...sparse, type: undefined }).sparse).toBe(true);
    expect(upsert({ ...sparse, organizer: { emailAddress: { address: 'sam@example.com' } } }).sparse).toBe(false);
    expect(upsert({ ...sparse, type: 'exception' }).sparse).toBe(false);
    expect(master.sparse).toBe(false);
  });

  it('fills an occurrence from its master: times, id and kind its own', () => {
    const filled = fillFromMaster(upsert(sparse), master);
    expect(filled).toMatchObject({
      id: 'AAMkOcc1=', subject: 'Weekly review', bodyPreview: 'Pipeline', organizerEmail: 'sam@example.com', type: 'occurrence', seriesMasterId: MASTER,
      startAt: Date.UTC(2026, 0, 12, 15), endAt: Date.UTC(2026, 0, 12, 15, 30), changeKey: 'DwAAABYAAAC9', sparse: false, isCancelled: false,
    });
    expect(filled.attendees.map((a) => a.email)).toEqual(['ana@client.example']);
    expect(fillFromMaster(upsert(sparse), { ...master, isCancelled: true }).isCancelled).toBe(true);
    expect(occurrenceKind(filled)).toBe('occurrence');
  });

  it('tells an edit that reaches the occurrences from a new change key alone', () => {
    expect(seriesFieldsDiffer(master, { ...master, changeKey: 'm2' })).toBe(false);
    expect(seriesFieldsDiffer(master, { ...master, subject: 'Renamed' })).toBe(true);
    expect(seriesFieldsDiffer(master, { ...master, attendees: [...master.attendees, { email: 'raj@client.example', name: null, type: 'required', response: null }] })).toBe(true);
  });

  it('reads a stored master back, and nothing from a damaged row', () => {
    expect(masterFromJson(JSON.stringify(master))).toEqual(master);
    expect(masterFromJson('{"id": 1}')).toBeUndefined();
    expect(masterFromJson('not json')).toBeUndefined();
  });
});
