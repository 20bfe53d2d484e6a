import { afterEach, describe, expect, it } from 'vitest';
import { createHubspotCrm } from '../../src/clients/hubspot/hubspot-crm.js';
import { startSim, type RunningSim, type SimReply } from '../../src/sandbox/http-sim.js';
import { startHubspotSimulator, type HubspotSim } from '../../src/sandbox/hubspot-simulator.js';
import { ProviderError } from '../../src/support/errors.js';
import { silentLogger } from '../../src/support/logger.js';
import { fixtureNames, loadFixture, shapeDifferences } from '../helpers/provider-fixtures.js';

/**
 * HubSpot contract: rolplay's client wrapper (the real SDK underneath) reads each documented
 * answer right, and the simulator answers the same cases in the same shapes.
 */
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

/** A loopback server that answers the fixture to the first matching request, 404 otherwise. */
async function serving(name: string, method: string, path: RegExp): Promise<RunningSim> {
  const fixture = loadFixture('hubspot', name);
  const stub = await startSim((req): SimReply => (req.method === method && path.test(req.path)
    ? { status: fixture.status!, headers: fixture.headers, body: fixture.body }
    : { status: 404, body: { status: 'error', message: 'not here', correlationId: 'x', category: 'OBJECT_NOT_FOUND' } }));
  open.push(stub);
  return stub;
}

const crmAt = (url: string, token = 'pat-na1-contract') => createHubspotCrm({ accessToken: token, basePath: url, logger: silentLogger(), timeoutMs: 5000 });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

async function sim(options: Parameters<typeof startHubspotSimulator>[0] = {}): Promise<HubspotSim> {
  const hub = await startHubspotSimulator(options);
  open.push(hub);
  return hub;
}

async function raw(hub: HubspotSim, method: string, path: string, body?: unknown, token = hub.token) {
  const res = await fetch(`${hub.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as unknown };
}

const SEARCH = /^\/crm\/v3\/objects\/contacts\/search$/;
const at = '2026-01-05T10:00:00.000Z';

describe('HubSpot fixtures', () => {
  it('each names its source and holds an answer or a request', () => {
    const names = fixtureNames('hubspot');
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      const f = loadFixture('hubspot', name);
      expect(f.body !== undefined || f.request !== undefined, name).toBe(true);
    }
  });
});

describe('rolplay reads HubSpot\'s documented answers (real SDK against each fixture)', () => {
  it('contact search: the first result, with its properties; an empty search is no contact', async () => {
    const crm = crmAt((await serving('contact-search', 'POST', SEARCH)).url);
    expect(await crm.findContactByEmail('testperson@hubspot.com')).toMatchObject({ id: '100451', email: 'testperson@hubspot.com', firstName: 'Test', lastName: 'Person', companyId: null });
    expect(await crmAt((await serving('contact-search-empty', 'POST', SEARCH)).url).findContactByEmail('nobody@x.example')).toBeNull();
  });

  it('note and task creates: the id of the 201', async () => {
    const notes = crmAt((await serving('note-create-201', 'POST', /^\/crm\/v3\/objects\/notes$/)).url);
    expect(await notes.createNote({ body: 'x', timestamp: Date.parse(at), contactIds: ['101'], companyIds: [] })).toEqual({ id: '51728453091' });
    const tasks = crmAt((await serving('task-create-201', 'POST', /^\/crm\/v3\/objects\/tasks$/)).url);
    expect(await tasks.createTask({ subject: 's', body: 'b', dueAt: Date.parse(at), contactIds: ['101'], companyIds: [] })).toEqual({ id: '61728453092' });
  });

  it('429s: ten-secondly is retried after 10 s, daily after an hour', async () => {
    const soon = await failure(crmAt((await serving('429-ten-secondly', 'POST', SEARCH)).url).findContactByEmail('a@b.example'));
    expect(soon).toMatchObject({ status: 429, retryable: true, retryAfterMs: 10_000, providerCode: 'TEN_SECONDLY_ROLLING' });
    const daily = await failure(crmAt((await serving('429-daily', 'POST', SEARCH)).url).findContactByEmail('a@b.example'));
    expect(daily).toMatchObject({ status: 429, retryable: true, retryAfterMs: 3_600_000, providerCode: 'DAILY' });
  });

  it('401 and 403: final, naming the setting and the missing scope, never the token', async () => {
    const auth = await failure(crmAt((await serving('401-invalid-authentication', 'POST', SEARCH)).url, 'pat-na1-secret-value').findContactByEmail('a@b.example'));
    expect(auth).toMatchObject({ status: 401, retryable: false, code: 'HUBSPOT_AUTH', providerCode: 'INVALID_AUTHENTICATION' });
    expect(auth.message).toMatch(/hubspot\.accessToken/);
    expect(auth.message).not.toContain('secret-value');
    const scope = await failure(crmAt((await serving('403-missing-scopes', 'POST', /^\/crm\/v3\/objects\/notes$/)).url).createNote({ body: 'x', timestamp: 0, contactIds: [], companyIds: [] }));
    expect(scope).toMatchObject({ status: 403, retryable: false, code: 'HUBSPOT_SCOPE', providerCode: 'crm.objects.contacts.write' });
  });

  it('409 on a contact create: the existing contact\'s id', async () => {
    const crm = crmAt((await serving('409-contact-exists', 'POST', /^\/crm\/v3\/objects\/contacts$/)).url);
    expect(await crm.createContact({ email: 'ann@acme.example' })).toMatchObject({ id: '3401', email: 'ann@acme.example' });
  });

  it('the note create request rolplay sends has the documented shape, with 202 to the contact and 190 to the company', async () => {
    const hub = await sim();
    const contact = hub.addContact({ email: 'ann@acme.example' });
    const company = hub.addCompany({ name: 'Acme' });
    const expected = loadFixture('hubspot', 'note-create-request').request as { properties: { hs_note_body: string } };
    await crmAt(hub.url, hub.token).createNote({ body: expected.properties.hs_note_body, timestamp: Date.parse(at), contactIds: [contact], companyIds: [company] });
    const sent: unknown = JSON.parse(hub.requests.find((r) => r.method === 'POST' && r.path === '/crm/v3/objects/notes')!.body);
    expect(shapeDifferences(sent, expected)).toEqual([]);
    expect(sent).toMatchObject({
      properties: { hs_note_body: expected.properties.hs_note_body, hs_timestamp: at },
      associations: [{ to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }, { to: { id: company }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 190 }] }],
    });
  });
});

describe('the simulator answers the same cases in the same shapes', () => {
  const same = async (name: string, reply: { status: number; body: unknown }) => {
    const fixture = loadFixture('hubspot', name);
    expect(reply.status, name).toBe(fixture.status);
    expect(shapeDifferences(reply.body, fixture.body), name).toEqual([]);
  };

  it('contact search with more to come, and an empty one', async () => {
    const hub = await sim();
    for (const n of [1, 2, 3]) hub.addContact({ email: `c${n}@x.example`, firstname: `C${n}`, lastname: 'Lee' });
    await same('contact-search', await raw(hub, 'POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'lastname', operator: 'EQ', value: 'Lee' }] }], limit: 2 }));
    await same('contact-search-empty', await raw(hub, 'POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'nobody@x.example' }] }], limit: 1 }));
  });

  it('note and task creates', async () => {
    const hub = await sim();
    const contact = hub.addContact({ email: 'ann@acme.example' });
    const note = loadFixture('hubspot', 'note-create-request').request as { properties: Record<string, string> };
    await same('note-create-201', await raw(hub, 'POST', '/crm/v3/objects/notes', { properties: note.properties, associations: [{ to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }] }));
    const task = (loadFixture('hubspot', 'task-create-201').body as { properties: Record<string, string> }).properties;
    const { hs_task_subject, hs_task_body, hs_timestamp, hs_task_status, hs_task_type } = task;
    await same('task-create-201', await raw(hub, 'POST', '/crm/v3/objects/tasks', { properties: { hs_task_subject, hs_task_body, hs_timestamp, hs_task_status, hs_task_type }, associations: [{ to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] }] }));
  });

  it('429 ten-secondly and daily', async () => {
    const hub = await sim();
    hub.rateLimitNext(1, 'TEN_SECONDLY_ROLLING');
    await same('429-ten-secondly', await raw(hub, 'POST', '/crm/v3/objects/contacts/search', {}));
    hub.rateLimitNext(1, 'DAILY');
    await same('429-daily', await raw(hub, 'POST', '/crm/v3/objects/contacts/search', {}));
  });

  it('401, 403 MISSING_SCOPES and 409 duplicate contact', async () => {
    const hub = await sim({ scopes: ['crm.objects.contacts.read'] });
    await same('401-invalid-authentication', await raw(hub, 'POST', '/crm/v3/objects/contacts/search', {}, 'pat-na1-wrong'));
    await same('403-missing-scopes', await raw(hub, 'POST', '/crm/v3/objects/notes', { properties: { hs_note_body: 'x', hs_timestamp: at } }));
    hub.setScopes(['crm.objects.contacts.read', 'crm.objects.contacts.write']);
    hub.addContact({ email: 'ann@acme.example' });
    await same('409-contact-exists', await raw(hub, 'POST', '/crm/v3/objects/contacts', { properties: { email: 'Ann@acme.example' } }));
  });
});
