import { afterEach, describe, expect, it } from 'vitest';
import { startHubspotSimulator, type HubspotSim } from '../../src/sandbox/hubspot-simulator.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON replies are walked freely in assertions
type Json = any;

let hub: HubspotSim;
afterEach(async () => hub?.close());

async function call(method: string, path: string, body?: unknown, token: string | null = hub.token) {
  const res = await fetch(`${hub.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, Json> };
}

describe('HubSpot simulator (raw HTTP, public API shapes)', () => {
  it('answers 401 with HubSpot\'s error body', async () => {
    hub = await startHubspotSimulator();
    for (const token of [null, 'wrong']) {
      const r = await call('POST', '/crm/v3/objects/contacts/search', {}, token);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
      expect(typeof r.body.correlationId).toBe('string');
    }
  });

  it('searches with OR of AND filter groups, sorts, pages with after, and lags behind writes', async () => {
    let now = Date.UTC(2026, 0, 5, 10);
    hub = await startHubspotSimulator({ now: () => now, searchLagMs: 2000 });
    for (const n of [3, 1, 2]) hub.addContact({ email: `c${n}@x.example`, firstname: `C${n}`, lastname: n === 2 ? 'Zed' : 'Abe' });
    expect((await call('POST', '/crm/v3/objects/contacts/search', {})).body.total).toBe(0);
    now += 2000;
    const page1 = await call('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [{ filters: [{ propertyName: 'lastname', operator: 'EQ', value: 'abe' }] }, { filters: [{ propertyName: 'email', operator: 'EQ', value: 'C2@X.EXAMPLE' }] }],
      sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' }],
      properties: ['firstname'],
      limit: 2,
    });
    expect(page1.body.total).toBe(3);
    expect(page1.body.results.map((r: Json) => r.properties.firstname)).toEqual(['C3', 'C2']);
    expect(page1.body.results[0].properties).toHaveProperty('hs_object_id');
    expect(page1.body.paging.next).toEqual({ after: '2', link: '?after=2' });
    const page2 = await call('POST', '/crm/v3/objects/contacts/search', { sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' }], limit: 2, after: '2' });
    expect(page2.body.results).toHaveLength(1);
    expect(page2.body.paging).toBeUndefined();
  });

  it('refuses a note without hs_timestamp and an association type that does not fit', async () => {
    hub = await startHubspotSimulator();
    const contact = hub.addContact({ email: 'a@x.example' });
    const company = hub.addCompany({ name: 'X' });
    expect((await call('POST', '/crm/v3/objects/notes', { properties: { hs_note_body: 'x' } })).body.category).toBe('VALIDATION_ERROR');
    const wrongTarget = await call('POST', '/crm/v3/objects/notes', {
      properties: { hs_note_body: 'x', hs_timestamp: '2026-01-05T10:00:00Z' },
      associations: [{ to: { id: company }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }],
    });
    expect(wrongTarget.status).toBe(400);
    const ok = await call('POST', '/crm/v3/objects/notes', {
      properties: { hs_note_body: 'x', hs_timestamp: String(Date.UTC(2026, 0, 5, 10)) },
      associations: [{ to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.properties.hs_timestamp).toBe('2026-01-05T10:00:00.000Z');
    expect(hub.records('notes')).toHaveLength(1);
    // The reverse association exists too (contact-to-note), as in HubSpot.
    expect(hub.associationsOf('contacts', contact).map((a) => [a.toType, a.typeId])).toEqual([['notes', 201]]);
  });

  it('cuts a note or task body at 65,536 characters, as HubSpot does, instead of refusing it', async () => {
    hub = await startHubspotSimulator();
    const long = `${'a'.repeat(65_530)}bcdefgh[marker]`;
    const note = await call('POST', '/crm/v3/objects/notes', { properties: { hs_note_body: long, hs_timestamp: '2026-01-05T10:00:00Z' } });
    expect(note.status).toBe(201);
    expect(note.body.properties.hs_note_body).toBe(`${'a'.repeat(65_530)}bcdefg`);
    const task = await call('POST', '/crm/v3/objects/tasks', { properties: { hs_task_body: long, hs_timestamp: '2026-01-05T10:00:00Z' } });
    expect(hub.record('tasks', task.body.id)!.properties.hs_task_body).toHaveLength(65_536);
    const exact = 'z'.repeat(65_536);
    const whole = await call('POST', '/crm/v3/objects/notes', { properties: { hs_note_body: exact, hs_timestamp: '2026-01-05T10:00:00Z' } });
    expect(whole.body.properties.hs_note_body).toBe(exact);
  });

  it('answers 403 MISSING_SCOPES naming the scope, and 404 for unknown records', async () => {
    hub = await startHubspotSimulator({ scopes: ['crm.objects.contacts.read'] });
    const denied = await call('GET', '/crm/v3/objects/companies/1');
    expect(denied.status).toBe(403);
    expect(denied.body.category).toBe('MISSING_SCOPES');
    expect(denied.body.errors[0].context.requiredGranularScopes).toEqual(['crm.objects.companies.read']);
    expect((await call('GET', '/crm/v3/objects/contacts/424242')).body.category).toBe('OBJECT_NOT_FOUND');
  });
});
