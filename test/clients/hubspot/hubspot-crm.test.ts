import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHubspotCrm } from '../../../src/clients/hubspot/hubspot-crm.js';
import { ProviderError } from '../../../src/support/errors.js';
import { silentLogger } from '../../../src/support/logger.js';
import { startHubspotSimulator, type HubspotSim, type HubspotSimOptions } from '../../../src/sandbox/hubspot-simulator.js';

let hub: HubspotSim;
afterEach(async () => {
  vi.restoreAllMocks();
  await hub?.close();
});

async function setup(options: HubspotSimOptions = {}, token?: string) {
  hub = await startHubspotSimulator(options);
  return createHubspotCrm({ accessToken: token ?? hub.token, basePath: hub.url, logger: silentLogger(), timeoutMs: 5000 });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('HubSpot CRM client (real SDK against the simulator)', () => {
  it('finds a contact by email case-insensitively, with its primary company', async () => {
    const crm = await setup();
    const company = hub.addCompany({ name: 'Acme', domain: 'acme.example', industry: 'Manufacturing' });
    const id = hub.addContact({ email: 'ann@acme.example', firstname: 'Ann', lastname: 'Lee' }, company);
    const contact = await crm.findContactByEmail('Ann@ACME.example');
    expect(contact).toMatchObject({ id, email: 'ann@acme.example', firstName: 'Ann', lastName: 'Lee', companyId: company });
    expect(await crm.findContactByEmail('nobody@acme.example')).toBeNull();
    const search = hub.requests.find((r) => r.path === '/crm/v3/objects/contacts/search')!;
    expect(search.headers.authorization).toBe(`Bearer ${hub.token}`);
    expect(JSON.parse(search.body).filterGroups[0].filters[0]).toEqual({ propertyName: 'email', operator: 'EQ', value: 'Ann@ACME.example' });
  });

  it('creates a contact, and returns the existing one when HubSpot says it already exists', async () => {
    const crm = await setup();
    const created = await crm.createContact({ email: 'bo@beta.example', firstName: 'Bo', company: 'Beta' });
    expect(hub.record('contacts', created.id)?.properties).toMatchObject({ email: 'bo@beta.example', firstname: 'Bo', company: 'Beta' });
    // Search lags behind writes: a second "missing" contact must resolve to the first, not fail.
    hub.setSearchLag(60_000);
    expect(await crm.findContactByEmail('bo@beta.example')).toBeNull();
    const again = await crm.createContact({ email: 'BO@beta.example' });
    expect(again.id).toBe(created.id);
    expect(hub.records('contacts')).toHaveLength(1);
  });

  it('reads a contact\'s company through v4 associations, preferring the primary one', async () => {
    const crm = await setup();
    const other = hub.addCompany({ name: 'Other' });
    const primary = hub.addCompany({ name: 'Primary Co', domain: 'primary.example' });
    const id = hub.addContact({ email: 'c@primary.example' });
    hub.associate('contacts', id, other, 279);
    hub.associate('contacts', id, primary, 279);
    hub.associate('contacts', id, primary, 1);
    expect(await crm.getCompanyIdForContact(id)).toBe(primary);
    const loose = hub.addContact({ email: 'd@primary.example' });
    hub.associate('contacts', loose, other, 279);
    expect(await crm.getCompanyIdForContact(loose)).toBe(other);
    expect(await crm.getCompanyIdForContact(hub.addContact({ email: 'e@x.example' }))).toBeNull();
    expect(await crm.getCompany(primary)).toEqual({ id: primary, name: 'Primary Co', domain: 'primary.example', industry: null });
    expect(await crm.getCompany('999999')).toBeNull();
  });

  it('creates one note associated with contacts (202) and company (190), timestamped at the given time', async () => {
    const crm = await setup();
    const company = hub.addCompany({ name: 'Acme' });
    const ann = hub.addContact({ email: 'ann@acme.example' }, company);
    const bob = hub.addContact({ email: 'bob@acme.example' }, company);
    const start = Date.UTC(2026, 0, 5, 10, 0, 0);
    const { id } = await crm.createNote({ body: '<p>Pilot in March</p><p>[rolplay:meeting:7]</p>', timestamp: start, contactIds: [ann, bob], companyIds: [company] });
    const note = hub.record('notes', id)!;
    expect(note.properties.hs_timestamp).toBe(new Date(start).toISOString());
    expect(hub.associationsOf('notes', id).map((a) => [a.toType, a.toId, a.typeId])).toEqual([
      ['contacts', ann, 202], ['contacts', bob, 202], ['companies', company, 190],
    ]);
    expect(await crm.findNotesByMarker({ marker: '[rolplay:meeting:7]', contactId: ann })).toEqual([id]);
    expect(await crm.findNotesByMarker({ marker: '[rolplay:meeting:8]', contactId: ann })).toEqual([]);
  });

  it('creates a task associated with the contact (204) and company (192) and finds it by marker', async () => {
    const crm = await setup();
    const company = hub.addCompany({ name: 'Acme' });
    const ann = hub.addContact({ email: 'ann@acme.example' }, company);
    const due = Date.UTC(2026, 2, 1, 9);
    const { id } = await crm.createTask({ subject: 'Send pilot proposal', body: 'Pilot [rolplay:meeting:7:step:0]', dueAt: due, contactIds: [ann], companyIds: [company] });
    expect(hub.record('tasks', id)!.properties).toMatchObject({ hs_task_subject: 'Send pilot proposal', hs_timestamp: new Date(due).toISOString(), hs_task_status: 'NOT_STARTED' });
    expect(hub.associationsOf('tasks', id).map((a) => a.typeId)).toEqual([204, 192]);
    expect(await crm.findTasksByMarker({ marker: '[rolplay:meeting:7:step:0]', contactId: ann })).toEqual([id]);
  });

  it('refuses a note or task body over HubSpot\'s 65,536 characters instead of letting HubSpot cut its marker off', async () => {
    const crm = await setup();
    const ann = hub.addContact({ email: 'ann@acme.example' });
    const error = await failure(crm.createNote({ body: `${'x'.repeat(65_530)} [rolplay:meeting:7]`, timestamp: 0, contactIds: [ann], companyIds: [] }));
    expect(error).toMatchObject({ retryable: false, code: 'HUBSPOT_BODY_TOO_LONG' });
    await failure(crm.createTask({ subject: 's', body: 'y'.repeat(65_537), dueAt: 0, contactIds: [ann], companyIds: [] }));
    expect(hub.requests).toHaveLength(0);
    const { id } = await crm.createNote({ body: 'x'.repeat(65_536), timestamp: 0, contactIds: [ann], companyIds: [] });
    expect(hub.record('notes', id)!.properties.hs_note_body).toHaveLength(65_536);
  });

  it('builds client context: contact properties, company and recent notes as plain text', async () => {
    const crm = await setup();
    const company = hub.addCompany({ name: 'Acme', domain: 'acme.example', industry: 'Retail' });
    const ann = hub.addContact({ email: 'ann@acme.example', firstname: 'Ann', jobtitle: 'CFO' }, company);
    await crm.createNote({ body: '<p>Asked about <b>pricing</b> &amp; terms</p>', timestamp: Date.UTC(2025, 11, 1), contactIds: [ann], companyIds: [] });
    await crm.createNote({ body: 'Newer note', timestamp: Date.UTC(2025, 11, 20), contactIds: [ann], companyIds: [] });
    const context = await crm.getClientContext('ann@acme.example');
    expect(context).toMatchObject({
      contactId: ann,
      properties: { email: 'ann@acme.example', firstname: 'Ann', jobtitle: 'CFO' },
      company: { id: company, name: 'Acme', domain: 'acme.example', industry: 'Retail' },
      notes: [{ body: 'Newer note', timestamp: Date.UTC(2025, 11, 20) }, { body: 'Asked about pricing & terms', timestamp: Date.UTC(2025, 11, 1) }],
    });
    expect(context!.properties).not.toHaveProperty('hs_object_id');
    expect(await crm.getClientContext('stranger@else.example')).toBeNull();
  });

  it('keeps the contact in the context when the companies scope is missing', async () => {
    const crm = await setup({ scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'] });
    const company = hub.addCompany({ name: 'Acme' });
    hub.addContact({ email: 'ann@acme.example' }, company);
    const context = await crm.getClientContext('ann@acme.example');
    expect(context?.contactId).toBeDefined();
    expect(context?.company).toBeUndefined();
  });
});

describe('HubSpot errors', () => {
  it('401: names the setting to fix and never the token', async () => {
    const crm = await setup({}, 'pat-na1-wrong-secret-token');
    const error = await failure(crm.findContactByEmail('a@b.example'));
    expect(error).toMatchObject({ provider: 'hubspot', status: 401, retryable: false });
    expect(error.message).toMatch(/hubspot\.accessToken/);
    expect(error.message).toMatch(/HUBSPOT_ACCESS_TOKEN/);
    expect(error.message).not.toContain('wrong-secret');
  });

  it('403: names the missing scope', async () => {
    const crm = await setup({ scopes: ['crm.objects.contacts.read'] });
    const error = await failure(crm.createNote({ body: 'x', timestamp: 0, contactIds: [], companyIds: [] }));
    expect(error).toMatchObject({ status: 403, retryable: false, providerCode: 'crm.objects.contacts.write' });
    expect(error.message).toContain('crm.objects.contacts.write');
  });

  it('429: ten-secondly is retried after 10 s, daily after an hour, and the SDK prints nothing', async () => {
    const crm = await setup();
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    hub.rateLimitNext(1, 'TEN_SECONDLY_ROLLING');
    const soon = await failure(crm.findContactByEmail('a@b.example'));
    expect(soon).toMatchObject({ status: 429, retryable: true, retryAfterMs: 10_000, providerCode: 'TEN_SECONDLY_ROLLING' });
    hub.rateLimitNext(1, 'DAILY');
    const later = await failure(crm.findContactByEmail('a@b.example'));
    expect(later).toMatchObject({ retryable: true, retryAfterMs: 3_600_000, providerCode: 'DAILY' });
    expect(later.message).toMatch(/daily/);
    hub.rateLimitNext(1, 'SECONDLY');
    expect((await failure(crm.findContactByEmail('a@b.example'))).retryAfterMs).toBe(2000);
    expect(hub.requests).toHaveLength(3); // no hidden SDK retries
    expect(printed).not.toHaveBeenCalled();
  });

  it('the rolling ten-second limit of the simulator answers 429 with HubSpot\'s body', async () => {
    const crm = await setup({ tenSecondlyLimit: 2 });
    await crm.findContactByEmail('a@b.example');
    await crm.findContactByEmail('a@b.example');
    const error = await failure(crm.findContactByEmail('a@b.example'));
    expect(error.status).toBe(429);
    expect((error.cause as { body?: Record<string, unknown> }).body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
  });

  it('5xx is retryable; on a create it is ambiguous', async () => {
    const crm = await setup();
    hub.sim.failNext('500');
    expect(await failure(crm.findContactByEmail('a@b.example'))).toMatchObject({ status: 500, retryable: true, ambiguous: false });
    hub.sim.failNext('500');
    expect(await failure(crm.createNote({ body: 'x', timestamp: 0, contactIds: [], companyIds: [] }))).toMatchObject({ retryable: true, ambiguous: true });
  });

  it('a lost answer to a create is ambiguous (the note may exist); a refused connection is not', async () => {
    const crm = await setup();
    const ann = hub.addContact({ email: 'ann@acme.example' });
    hub.sim.failNext('drop-after-commit');
    const lost = await failure(crm.createNote({ body: 'n [m:1]', timestamp: 0, contactIds: [ann], companyIds: [] }));
    expect(lost).toMatchObject({ retryable: true, ambiguous: true });
    expect(hub.records('notes')).toHaveLength(1);
    const url = hub.url;
    await hub.close();
    const offline = createHubspotCrm({ accessToken: 'x', basePath: url, logger: silentLogger() });
    expect(await failure(offline.createNote({ body: 'n', timestamp: 0, contactIds: [], companyIds: [] }))).toMatchObject({ retryable: true, ambiguous: false, providerCode: 'ECONNREFUSED' });
    hub = await startHubspotSimulator();
  });

  it('checkAccess reports each read scope, and a bad token once', async () => {
    const crm = await setup({ scopes: ['crm.objects.contacts.read'] });
    const probes = await crm.checkAccess();
    expect(probes.map((p) => [p.scope, p.ok])).toEqual([['crm.objects.contacts.read', true], ['crm.objects.companies.read', false]]);
    expect(probes[1]!.problem).toContain('crm.objects.companies.read');
    const bad = createHubspotCrm({ accessToken: 'nope', basePath: hub.url, logger: silentLogger() });
    const badProbes = await bad.checkAccess();
    expect(badProbes).toHaveLength(1);
    expect(badProbes[0]!.problem).toMatch(/hubspot\.accessToken/);
  });
});
