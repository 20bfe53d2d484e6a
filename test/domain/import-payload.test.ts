import { describe, expect, it } from 'vitest';
import { parseImportPayload } from '../../src/domain/import-payload.js';

/** The shape the seed's Make.com scenario posted to /outlook-webhook for each invitation. */
const SEED_EXAMPLE = {
  meeting: {
    title: 'Discovery call with Acme',
    start_time: '2026-01-06T15:00:00.0000000',
    end_time: '2026-01-06T15:45:00.0000000',
    organizer: { address: 'Sara@Company.com', name: 'Sara Lopez' },
    body: 'Agenda: pricing and rollout',
    location: 'Microsoft Teams Meeting',
    meeting_id: 'AAMkAGI2TG93AAA=',
  },
  client: { name: 'Ana Ruiz', email: 'Ana@Acme.com', company: 'Acme', hubspot_contact_id: '501' },
};

describe('parseImportPayload', () => {
  it('accepts the seed example: Outlook times without zone are UTC, emails lower-cased', () => {
    const { accepted, rejected } = parseImportPayload(SEED_EXAMPLE);
    expect(rejected).toEqual([]);
    expect(accepted).toEqual([{
      index: 0,
      meeting: {
        externalId: 'AAMkAGI2TG93AAA=',
        title: 'Discovery call with Acme',
        startAt: Date.UTC(2026, 0, 6, 15, 0),
        endAt: Date.UTC(2026, 0, 6, 15, 45),
        organizerEmail: 'sara@company.com',
        body: 'Agenda: pricing and rollout',
        location: 'Microsoft Teams Meeting',
        clients: [{ name: 'Ana Ruiz', email: 'ana@acme.com', company: 'Acme', hubspotContactId: '501' }],
      },
    }]);
  });

  it('accepts organizer.email, flattened fields, offsets, client arrays, and derives a stable id', () => {
    const item = {
      title: 'Renewal', start_time: '2026-01-06T10:00:00+01:00', end_time: '2026-01-06T11:00:00+01:00',
      organizer: { email: 'tom@company.com' }, client: [{ email: 'a@x.com' }, { name: 'B', hubspot_contact_id: 77 }],
    };
    const first = parseImportPayload([item]).accepted[0]!.meeting;
    expect(first.startAt).toBe(Date.UTC(2026, 0, 6, 9, 0));
    expect(first.clients.map((c) => c.hubspotContactId)).toEqual([null, '77']);
    expect(parseImportPayload([item]).accepted[0]!.meeting.externalId).toBe(first.externalId);
  });

  it('rejects each bad item with its index and field, keeping the rest', () => {
    const ok = SEED_EXAMPLE;
    const { accepted, rejected } = parseImportPayload([
      ok,
      { ...ok, meeting: { ...ok.meeting, title: '' } },
      { ...ok, meeting: { ...ok.meeting, start_time: 'tomorrow at 3' } },
      { ...ok, meeting: { ...ok.meeting, end_time: '2026-01-06T14:00:00Z' } },
      { ...ok, meeting: { ...ok.meeting, organizer: { name: 'No email' } } },
      { ...ok, client: { name: 'Ana', email: 'not-an-email' } },
      { ...ok, client: { name: 'Only a name' } },
      { meeting: ok.meeting },
      'a string',
      { ...ok, client: { ...ok.client, hubspot_contact_id: 'abc' } },
    ]);
    expect(accepted.map((a) => a.index)).toEqual([0]);
    expect(rejected.map((r) => [r.index, r.field])).toEqual([
      [1, 'meeting.title'],
      [2, 'meeting.start_time'],
      [3, 'meeting.end_time'],
      [4, 'meeting.organizer.address'],
      [5, 'client.email'],
      [6, 'client.email'],
      [7, 'client'],
      [8, '(item)'],
      [9, 'client.hubspot_contact_id'],
    ]);
    expect(rejected[1]!.reason).toContain('"tomorrow at 3" is not an ISO 8601 time');
    expect(rejected[2]!.reason).toBe('the meeting ends before it starts');
  });
});
