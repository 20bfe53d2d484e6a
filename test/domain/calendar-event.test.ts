import { describe, expect, it } from 'vitest';
import { MAX_PREVIEW, parseGraphEvent, type CalendarEvent } from '../../src/domain/calendar-event.js';
import { clientAttendees, ignoreReason } from '../../src/domain/event-triage.js';

const base = {
  id: 'AAMk-1',
  iCalUId: '0400-1',
  changeKey: 'ck1',
  subject: 'Acme renewal',
  bodyPreview: 'Agenda: pricing',
  start: { dateTime: '2026-01-06T15:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2026-01-06T16:00:00.0000000', timeZone: 'UTC' },
  organizer: { emailAddress: { name: 'Sam Seller', address: 'Sam.Seller@Example.com' } },
  attendees: [
    { type: 'required', status: { response: 'none' }, emailAddress: { name: 'Coach', address: 'coach-bot@example.com' } },
    { type: 'required', status: { response: 'accepted' }, emailAddress: { name: 'Ana Núñez', address: 'ana@client.example' } },
    { type: 'optional', status: { response: 'none' }, emailAddress: { name: 'Bo', address: 'BO@client.example' } },
    { type: 'resource', status: { response: 'accepted' }, emailAddress: { name: 'Room 1', address: 'room1@example.com' } },
    { type: 'required', status: { response: 'none' }, emailAddress: { name: 'Colleague', address: 'kim@sales.example.com' } },
  ],
  isCancelled: false,
  isAllDay: false,
  type: 'singleInstance',
  responseStatus: { response: 'notResponded' },
  onlineMeeting: { joinUrl: 'https://teams.example/join/1' },
  location: { displayName: 'Teams' },
};

function event(overrides: Record<string, unknown> = {}): CalendarEvent {
  const change = parseGraphEvent({ ...base, ...overrides });
  if (change.kind !== 'upsert') throw new Error(`expected an event, got ${JSON.stringify(change)}`);
  return change.event;
}

describe('parseGraphEvent', () => {
  it('reads the fields rolplay uses, lower-casing addresses', () => {
    const e = event();
    expect(e).toMatchObject({
      id: 'AAMk-1', iCalUId: '0400-1', changeKey: 'ck1', subject: 'Acme renewal', bodyPreview: 'Agenda: pricing',
      startAt: Date.parse('2026-01-06T15:00:00Z'), endAt: Date.parse('2026-01-06T16:00:00Z'),
      organizerEmail: 'sam.seller@example.com', organizerName: 'Sam Seller', joinUrl: 'https://teams.example/join/1', location: 'Teams',
      isCancelled: false, isAllDay: false, type: 'singleInstance', ownResponse: 'notResponded',
    });
    expect(e.attendees.map((a) => [a.email, a.type])).toEqual([
      ['coach-bot@example.com', 'required'], ['ana@client.example', 'required'], ['bo@client.example', 'optional'],
      ['room1@example.com', 'resource'], ['kim@sales.example.com', 'required'],
    ]);
    expect(e.attendees[1]!.name).toBe('Ana Núñez');
  });

  it('turns @removed entries into removals and unreadable entries into reasons', () => {
    expect(parseGraphEvent({ id: 'x', '@removed': { reason: 'deleted' } })).toEqual({ kind: 'removed', id: 'x', reason: 'deleted' });
    expect(parseGraphEvent({ id: 'x', '@removed': {} })).toEqual({ kind: 'removed', id: 'x', reason: 'deleted' });
    expect(parseGraphEvent(null)).toMatchObject({ kind: 'invalid', id: null });
    expect(parseGraphEvent({ subject: 'no id' })).toMatchObject({ kind: 'invalid', reason: 'no id' });
    expect(parseGraphEvent({ ...base, end: undefined })).toMatchObject({ kind: 'invalid', id: 'AAMk-1', reason: expect.stringContaining('end') });
    expect(parseGraphEvent({ ...base, start: { dateTime: '2026-01-06T15:00:00', timeZone: 'Mars Standard Time' } })).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('unknown time zone') });
    expect(parseGraphEvent({ ...base, end: { dateTime: '2026-01-06T14:00:00', timeZone: 'UTC' } })).toMatchObject({ kind: 'invalid', reason: 'ends before it starts' });
  });

  it('tolerates missing organizer, attendees, subject and wrong types', () => {
    const e = event({ organizer: undefined, attendees: 'nope', subject: 42, location: null, onlineMeeting: null, responseStatus: undefined, type: 'strange' });
    expect(e).toMatchObject({ organizerEmail: null, attendees: [], subject: '(no subject)', location: null, joinUrl: null, ownResponse: null, type: null });
    const legacy = event({ organizer: { emailAddress: { address: '/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=abc' } } });
    expect(legacy.organizerEmail).toBeNull();
    const odd = event({ attendees: [null, { emailAddress: {} }, { emailAddress: { address: 'x@y.z' } }, { emailAddress: { address: 'X@Y.z' } }] });
    expect(odd.attendees).toEqual([{ email: 'x@y.z', name: null, type: 'required', response: null }]);
  });

  it('truncates huge subjects and bodies, and falls back to the body text without markup', () => {
    const huge = '<p>' + 'word '.repeat(2_000_000) + '</p>';
    const e = event({ subject: 'S'.repeat(10_000), bodyPreview: '', body: { contentType: 'html', content: huge } });
    expect(e.subject.length).toBeLessThanOrEqual(500);
    expect(e.bodyPreview!.length).toBeLessThanOrEqual(MAX_PREVIEW);
    expect(e.bodyPreview).toMatch(/^word word/);
    expect(e.bodyPreview).not.toContain('<p>');
  });
});

describe('triage', () => {
  const ctx = { botEmail: 'Coach-Bot@example.com', internalDomains: ['@example.com'], now: Date.parse('2026-01-05T09:00:00Z') };

  it('clients are attendees minus the bot, the organizer, rooms and internal domains (with subdomains)', () => {
    expect(clientAttendees(event(), ctx).map((a) => a.email)).toEqual(['ana@client.example', 'bo@client.example']);
    const organizerListed = event({ attendees: [...base.attendees, { type: 'required', emailAddress: { address: 'SAM.SELLER@example.com' } }] });
    expect(clientAttendees(organizerListed, { ...ctx, internalDomains: [] }).map((a) => a.email)).toEqual(['ana@client.example', 'bo@client.example', 'kim@sales.example.com']);
  });

  it('ignores declined, all-day, ended and series masters, and says why', () => {
    expect(ignoreReason(event(), ctx)).toBeUndefined();
    expect(ignoreReason(event({ responseStatus: { response: 'declined' } }), ctx)?.code).toBe('declined');
    const botDeclined = base.attendees.map((a) => (a.emailAddress.address === 'coach-bot@example.com' ? { ...a, status: { response: 'declined' } } : a));
    expect(ignoreReason(event({ attendees: botDeclined }), ctx)?.code).toBe('declined');
    expect(ignoreReason(event({ isAllDay: true }), ctx)).toEqual({ code: 'all_day', reason: 'all-day event' });
    expect(ignoreReason(event(), { ...ctx, now: Date.parse('2026-01-06T16:00:00Z') })?.code).toBe('ended');
    expect(ignoreReason(event({ type: 'seriesMaster' }), ctx)?.code).toBe('series_master');
  });
});
