import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGraphSimulator, type GraphSim } from '../../src/sandbox/graph-simulator.js';
import { startMicrosoftTokenSimulator, type TokenSim } from '../../src/sandbox/microsoft-token-simulator.js';

const BOT = 'coach-bot@example.com';
const HOUR = 3_600_000;
const t0 = Date.parse('2030-03-02T09:00:00Z');
const windowQuery = `startDateTime=${new Date(t0 - HOUR).toISOString()}&endDateTime=${new Date(t0 + 7 * 24 * HOUR).toISOString()}`;

let tokens: TokenSim;
let graph: GraphSim;
let token: string;

beforeEach(async () => {
  tokens = await startMicrosoftTokenSimulator();
  graph = await startGraphSimulator({ botEmail: BOT, tokens });
  const res = await fetch(`${tokens.url}/${tokens.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: tokens.clientId, client_secret: tokens.clientSecret, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' }),
  });
  const body = await res.json() as { access_token: string; token_type: string; expires_in: number };
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
  token = body.access_token;
});
afterEach(async () => {
  await graph.close();
  await tokens.close();
});

/** Follows Graph's absolute links on the simulator, as rolplay's client does. */
async function get(pathOrLink: string, prefer = ''): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const url = pathOrLink.startsWith('https://graph.microsoft.com') ? pathOrLink.replace('https://graph.microsoft.com', graph.url) : `${graph.url}${pathOrLink}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...(prefer ? { prefer } : {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) as Record<string, unknown> : {}, headers: res.headers };
}

async function fullSync(prefer = ''): Promise<{ values: Array<Record<string, unknown>>; deltaLink: string; pages: number }> {
  let page = await get(`/v1.0/users/${BOT}/calendarView/delta?${windowQuery}`, prefer);
  const values: Array<Record<string, unknown>> = [];
  let pages = 1;
  for (;;) {
    expect(page.status).toBe(200);
    values.push(...(page.body.value as Array<Record<string, unknown>>));
    if (page.body['@odata.deltaLink']) return { values, deltaLink: String(page.body['@odata.deltaLink']), pages };
    page = await get(String(page.body['@odata.nextLink']), prefer);
    pages++;
  }
}

const add = (i: number, extra: Partial<Parameters<GraphSim['addEvent']>[0]> = {}) => graph.addEvent({ subject: `M${i}`, start: t0 + i * HOUR, end: t0 + i * HOUR + HOUR / 2, organizer: 'sam@example.com', attendees: [BOT, 'ana@client.example'], ...extra });

describe('Graph simulator', () => {
  it("answers Graph's error bodies for missing tokens, a missing window and unsupported query options", async () => {
    const anonymous = await fetch(`${graph.url}/v1.0/users/${BOT}/calendarView/delta?${windowQuery}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.', innerError: { 'request-id': expect.any(String) } } });
    expect((await get(`/v1.0/users/${BOT}/calendarView/delta`)).body).toMatchObject({ error: { code: 'ErrorInvalidParameter' } });
    expect((await get(`/v1.0/users/${BOT}/calendarView/delta?${windowQuery}&$filter=subject eq 'x'`)).status).toBe(400);
    expect((await get(`/v1.0/users/nobody@example.com/calendarView/delta?${windowQuery}`)).status).toBe(403);
  });

  it('pages by Prefer: odata.maxpagesize (default 10) and renders times in the preferred zone', async () => {
    for (let i = 0; i < 12; i++) add(i);
    const defaults = await fullSync();
    expect(defaults.pages).toBe(2);
    const small = await fullSync('odata.maxpagesize=5, outlook.timezone="Pacific Standard Time"');
    expect(small.pages).toBe(3);
    expect(small.values).toHaveLength(12);
    expect(small.values[0]).toMatchObject({ start: { dateTime: '2030-03-02T01:00:00.0000000', timeZone: 'Pacific Standard Time' } });
    expect(defaults.values[0]).toMatchObject({ start: { dateTime: '2030-03-02T09:00:00.0000000', timeZone: 'UTC' } });
  });

  it('reports changes since a delta link: moves, cancellations, deletions, moves out of the window, restores', async () => {
    const [moved, cancelled, deleted, away] = [add(1), add(2), add(3), add(4)];
    const first = await fullSync();
    const quiet = await get(first.deltaLink);
    expect(quiet.body.value).toEqual([]);
    expect(quiet.body['@odata.deltaLink']).toBe(first.deltaLink);

    graph.moveEvent(moved, t0 + 20 * HOUR, t0 + 21 * HOUR);
    graph.cancelEvent(cancelled);
    graph.deleteEvent(deleted);
    graph.moveEvent(away, t0 + 30 * 24 * HOUR, t0 + 30 * 24 * HOUR + HOUR);
    const changes = await get(first.deltaLink);
    const values = changes.body.value as Array<Record<string, unknown>>;
    expect(values.find((v) => v.id === moved)).toMatchObject({ start: { dateTime: '2030-03-03T05:00:00.0000000' } });
    expect(values.find((v) => v.id === cancelled)).toMatchObject({ isCancelled: true, subject: 'Canceled: M2' });
    expect(values.find((v) => v.id === deleted)).toEqual({ '@odata.type': '#microsoft.graph.event', id: deleted, '@removed': { reason: 'deleted' } });
    expect(values.find((v) => v.id === away)).toMatchObject({ '@removed': { reason: 'deleted' } });

    graph.restoreEvent(deleted);
    const next = await get(String(changes.body['@odata.deltaLink']));
    expect(next.body.value).toEqual([expect.objectContaining({ id: deleted, isCancelled: false, subject: 'M3' })]);
  });

  it('lists a series as sparse occurrences, then its master in full with its recurrence, all on one page', async () => {
    const { masterId, occurrenceIds } = graph.addSeries({ subject: 'Weekly', start: t0, end: t0 + HOUR, organizer: 'sam@example.com', attendees: [BOT], occurrences: 3, everyDays: 2 });
    add(100);
    const { values, pages } = await fullSync('odata.maxpagesize=2');
    expect(values.map((v) => v.id)).toEqual([...occurrenceIds, masterId, expect.any(String)]);
    expect(pages).toBe(2); // the series is not split, though the page holds four items
    expect(Object.keys(values[0]!).sort()).toEqual(['@odata.etag', '@odata.type', 'end', 'id', 'seriesMasterId', 'start', 'type']);
    expect(values[3]).toMatchObject({ id: masterId, type: 'seriesMaster', subject: 'Weekly', recurrence: { pattern: { type: 'daily', interval: 2 }, range: { type: 'numbered', numberOfOccurrences: 3 } } });
    // Read on its own, an occurrence is a full event with its own iCalUId.
    const one = await get(`/v1.0/users/${BOT}/events/${occurrenceIds[1]}`);
    expect(one.body).toMatchObject({ id: occurrenceIds[1], type: 'occurrence', seriesMasterId: masterId, subject: 'Weekly' });
    expect(one.body.iCalUId).not.toBe(values[3]!.iCalUId);
  });

  it('makes an edited occurrence a full exception, lists only the master when the series is edited, and says nothing of a cancelled occurrence', async () => {
    const { masterId, occurrenceIds } = graph.addSeries({ subject: 'Weekly', start: t0, end: t0 + HOUR, organizer: 'sam@example.com', attendees: [BOT], occurrences: 3, everyDays: 2 });
    let { deltaLink } = await fullSync();
    graph.moveEvent(occurrenceIds[1]!, t0 + 50 * HOUR, t0 + 51 * HOUR);
    const moved = await get(deltaLink);
    expect(moved.body.value).toEqual([expect.objectContaining({ id: occurrenceIds[1], type: 'exception', subject: 'Weekly', organizer: expect.any(Object) })]);
    deltaLink = String(moved.body['@odata.deltaLink']);
    graph.updateSeries(masterId, { subject: 'Weekly review' });
    const edited = await get(deltaLink);
    expect((edited.body.value as Array<Record<string, unknown>>).map((v) => [v.id, v.subject])).toEqual([[masterId, 'Weekly review']]);
    expect((await get(`/v1.0/users/${BOT}/events/${occurrenceIds[2]}`)).body.subject).toBe('Weekly review');
    expect((await get(`/v1.0/users/${BOT}/events/${occurrenceIds[1]}`)).body.subject).toBe('Weekly'); // the exception keeps its own
    deltaLink = String(edited.body['@odata.deltaLink']);
    graph.cancelOccurrence(occurrenceIds[2]!);
    expect((await get(deltaLink)).body.value).toEqual([]);
    expect((await get(`/v1.0/users/${BOT}/events/${occurrenceIds[2]}`)).status).toBe(404);
    expect((await fullSync()).values.map((v) => v.id)).toEqual([occurrenceIds[0], occurrenceIds[1], masterId]);
  });

  it('can list full occurrences without a master (the reference page), and @removed for a cancelled occurrence', async () => {
    await graph.close();
    graph = await startGraphSimulator({ botEmail: BOT, tokens, occurrenceShape: 'full', occurrenceRemovals: 'removed' });
    const { masterId, occurrenceIds } = graph.addSeries({ subject: 'Weekly', start: t0, end: t0 + HOUR, organizer: 'sam@example.com', attendees: [BOT], occurrences: 2, everyDays: 3 });
    const { values, deltaLink } = await fullSync();
    expect(values.map((v) => [v.id, v.type, v.subject])).toEqual(occurrenceIds.map((id) => [id, 'occurrence', 'Weekly']));
    graph.updateSeries(masterId, { subject: 'Weekly review' });
    const edited = await get(deltaLink);
    expect((edited.body.value as Array<Record<string, unknown>>).map((v) => [v.id, v.subject])).toEqual(occurrenceIds.map((id) => [id, 'Weekly review']));
    graph.cancelOccurrence(occurrenceIds[0]!);
    expect((await get(String(edited.body['@odata.deltaLink']))).body.value).toEqual([{ '@odata.type': '#microsoft.graph.event', id: occurrenceIds[0], '@removed': { reason: 'deleted' } }]);
  });

  it('can leave masters out of a full sync, so a client must read them (GET /events/{seriesMasterId})', async () => {
    await graph.close();
    graph = await startGraphSimulator({ botEmail: BOT, tokens, listMasters: false });
    const { masterId } = graph.addSeries({ subject: 'Weekly', start: t0, end: t0 + HOUR, organizer: 'sam@example.com', attendees: [BOT], occurrences: 2, everyDays: 2 });
    const { values, deltaLink } = await fullSync();
    expect(values.map((v) => v.type)).toEqual(['occurrence', 'occurrence']);
    expect((await get(`/v1.0/users/${BOT}/events/${masterId}`)).body).toMatchObject({ type: 'seriesMaster', subject: 'Weekly', recurrence: expect.any(Object) });
    graph.updateSeries(masterId, { subject: 'New' });
    expect((await get(deltaLink)).body.value).toEqual([expect.objectContaining({ id: masterId, subject: 'New' })]);
  });

  it('answers 410 SyncStateNotFound for a stale link and 429 with Retry-After when throttling', async () => {
    add(1);
    const { deltaLink } = await fullSync();
    graph.expireSyncState();
    const gone = await get(deltaLink);
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ error: { code: 'SyncStateNotFound' } });
    graph.throttleNext(1, 7);
    const throttled = await get(`/v1.0/users/${BOT}/calendarView/delta?${windowQuery}`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(throttled.body).toMatchObject({ error: { code: 'ApplicationThrottled' } });
  });

  it('rotates delta tokens on request, so clients cannot rely on an unchanged link', async () => {
    const rotating = await startGraphSimulator({ botEmail: BOT, tokens, rotateDeltaTokens: true });
    try {
      const res1 = await fetch(`${rotating.url}/v1.0/users/${BOT}/calendarView/delta?${windowQuery}`, { headers: { authorization: `Bearer ${token}` } });
      const link1 = String(((await res1.json()) as Record<string, unknown>)['@odata.deltaLink']);
      const res2 = await fetch(link1.replace('https://graph.microsoft.com', rotating.url), { headers: { authorization: `Bearer ${token}` } });
      const link2 = String(((await res2.json()) as Record<string, unknown>)['@odata.deltaLink']);
      expect(link2).not.toBe(link1);
    } finally {
      await rotating.close();
    }
  });
});

describe('Microsoft token simulator', () => {
  it("answers Entra ID's error bodies with AADSTS codes", async () => {
    const post = async (tenant: string, form: Record<string, string>) => {
      const res = await fetch(`${tokens.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
      return { status: res.status, body: await res.json() as Record<string, unknown> };
    };
    const form = { client_id: tokens.clientId, client_secret: tokens.clientSecret, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' };
    expect(await post(tokens.tenantId, { ...form, client_secret: 'nope' })).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [7000215] } });
    expect(await post(tokens.tenantId, { ...form, client_id: 'other' })).toMatchObject({ status: 400, body: { error: 'unauthorized_client', error_codes: [700016] } });
    expect(await post('other-tenant', form)).toMatchObject({ status: 400, body: { error: 'invalid_request', error_codes: [90002] } });
    expect(await post(tokens.tenantId, { ...form, scope: 'User.Read' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(tokens.check('made-up')).toEqual({ ok: false, reason: 'unknown' });
    expect(tokens.check(token)).toEqual({ ok: true, roles: ['Calendars.ReadWrite'] });
  });
});
