import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGraphCalendar } from '../../src/clients/graph/graph-calendar.js';
import { SYNC_RESET, type CalendarSource, type DeltaPage } from '../../src/clients/graph/calendar-source.js';
import type { CalendarEvent } from '../../src/domain/calendar-event.js';
import { fillFromMaster } from '../../src/domain/recurring-series.js';
import { startGraphSimulator, type GraphSim } from '../../src/sandbox/graph-simulator.js';
import { silentLogger } from '../../src/support/logger.js';
import { fixtureNames, loadFixture, shapeDifferences, type ProviderFixture } from '../helpers/provider-fixtures.js';

/**
 * Graph's calendar contract: each fixture in test/fixtures/providers/graph (written after the
 * reference pages and users' reports it names) is served to rolplay's real Graph client, and
 * the simulator is made to produce the same case in the same shape.
 */
const BOT = 'coach-bot@contoso.com';
let served: ProviderFixture;
let server: Server;
let fixtureUrl: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(served.status ?? 200, served.headers ?? { 'content-type': 'application/json' });
    res.end(JSON.stringify(served.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fixtureUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(url: string): CalendarSource {
  return createGraphCalendar({ botEmail: BOT, graphBaseUrl: url, tokens: { getAccessToken: async () => 'token' }, logger: silentLogger(), maxRetries: 0 });
}

/** rolplay's client reading one fixture as the first page of a full sync. */
async function readFixture(name: string): Promise<DeltaPage> {
  served = loadFixture('graph', name);
  return client(fixtureUrl).startSync({ start: Date.UTC(2026, 11, 1), end: Date.UTC(2026, 11, 31) });
}

function upserts(page: DeltaPage): CalendarEvent[] {
  return page.changes.map((c) => {
    if (c.kind !== 'upsert') throw new Error(`expected an event, got ${JSON.stringify(c)}`);
    return c.event;
  });
}

const at = (iso: string) => Date.parse(iso);

describe('Graph contract: rolplay reads the documented and reported shapes', () => {
  it('has a source named in every fixture', () => {
    expect(fixtureNames('graph').length).toBeGreaterThanOrEqual(9);
    for (const name of fixtureNames('graph')) expect(loadFixture('graph', name).source).toMatch(/learn\.microsoft\.com|#\d+/);
  });

  it('reads a new event and the next link of a first page', async () => {
    const page = await readFixture('delta-first-page-new-event');
    expect(page.nextLink).toContain('$skiptoken=');
    expect(page.deltaLink).toBeUndefined();
    const [event] = upserts(page);
    expect(event).toMatchObject({
      subject: 'Fabrikam renewal', startAt: at('2026-12-07T16:00:00Z'), endAt: at('2026-12-07T17:00:00Z'), organizerEmail: 'meganb@contoso.com',
      type: 'singleInstance', sparse: false, changeKey: 'ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==', joinUrl: expect.stringContaining('teams.microsoft.com'),
      bodyPreview: "Let's review the renewal terms and the pilot scope.",
    });
    expect(event!.attendees.map((a) => [a.email, a.type])).toEqual([[BOT, 'required'], ['ana.nunez@fabrikam.com', 'required'], ['rainier@contoso.com', 'optional']]);
  });

  it('reads an update with the delta link of the round, and a removal', async () => {
    const updated = await readFixture('delta-updated-event');
    expect(updated.deltaLink).toContain('$deltatoken=');
    expect(upserts(updated)[0]).toMatchObject({ startAt: at('2026-12-08T16:00:00Z'), changeKey: 'ZlnW4RIAV06KYYwlrfNZvQAAKGWwcA==' });
    expect((await readFixture('delta-removed-event')).changes).toEqual([{ kind: 'removed', id: 'AAMkAGI2TG93AAB=', reason: 'deleted' }]);
  });

  it('fills sparse occurrences from their master, and takes an exception as it comes', async () => {
    const [first, second, master] = upserts(await readFixture('delta-sparse-occurrences-with-master'));
    expect([first!.sparse, second!.sparse, master!.type]).toEqual([true, true, 'seriesMaster']);
    expect(first).toMatchObject({ organizerEmail: null, attendees: [], changeKey: '2fRjdrSO0EOK2IbKklbUlQAAGqBAeQ==', seriesMasterId: master!.id });
    expect(fillFromMaster(second!, master!)).toMatchObject({
      id: second!.id, subject: 'Fabrikam weekly pipeline review', organizerEmail: 'meganb@contoso.com', startAt: at('2026-12-17T15:00:00Z'), type: 'occurrence', sparse: false,
    });
    const [exception] = upserts(await readFixture('delta-exception'));
    expect(exception).toMatchObject({ type: 'exception', sparse: false, seriesMasterId: master!.id, subject: 'Fabrikam weekly pipeline review', startAt: at('2026-12-24T17:00:00Z') });
  });

  it('reads Windows time-zone names and all-day events', async () => {
    expect(upserts(await readFixture('delta-windows-time-zone'))[0]).toMatchObject({ startAt: at('2026-12-09T17:00:00Z'), endAt: at('2026-12-09T18:30:00Z') });
    expect(upserts(await readFixture('delta-all-day-event'))[0]).toMatchObject({ isAllDay: true, startAt: at('2026-12-11T00:00:00Z') });
  });

  it('turns 410 SyncStateNotFound into a full resync, and reads a series master on its own', async () => {
    await expect(readFixture('delta-410-sync-state-not-found')).rejects.toMatchObject({ code: SYNC_RESET });
    served = loadFixture('graph', 'event-series-master');
    expect(await client(fixtureUrl).getEvent('master')).toMatchObject({ type: 'seriesMaster', subject: 'Fabrikam weekly pipeline review' });
  });
});

describe('Graph contract: the simulator answers in the same shapes', () => {
  let graph: GraphSim;
  afterEach(() => graph?.close());
  const t0 = Date.UTC(2026, 11, 7, 16);
  const invite = { subject: 'Fabrikam renewal', organizer: 'MeganB@contoso.com', joinUrl: 'https://teams.microsoft.com/l/meetup-join/x', attendees: [BOT, 'ana.nunez@fabrikam.com', { email: 'rainier@contoso.com', type: 'optional' as const }] };

  async function start(options: Parameters<typeof startGraphSimulator>[0] extends infer O ? Partial<O> : never = {}) {
    graph = await startGraphSimulator({ botEmail: BOT, ...options });
  }

  async function raw(path: string, prefer = ''): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
    const res = await fetch(`${graph.url}${path.replace('https://graph.microsoft.com', '')}`, { headers: { authorization: 'Bearer t', ...(prefer ? { prefer } : {}) } });
    return { status: res.status, headers: res.headers, body: await res.json() as Record<string, unknown> };
  }

  const window = `startDateTime=${new Date(t0 - 86_400_000).toISOString()}&endDateTime=${new Date(t0 + 30 * 86_400_000).toISOString()}`;
  const sync = (prefer = '') => raw(`/v1.0/users/${BOT}/calendarView/delta?${window}`, prefer);
  const same = (actual: unknown, name: string) => expect(shapeDifferences(actual, loadFixture('graph', name).body)).toEqual([]);

  it('a first page, an update, a removal and a 410', async () => {
    await start();
    const id = graph.addEvent({ ...invite, start: t0, end: t0 + 3_600_000 });
    const gone = graph.addEvent({ ...invite, start: t0 + 7_200_000, end: t0 + 10_800_000 });
    same((await sync('odata.maxpagesize=1')).body, 'delta-first-page-new-event');
    let link = String((await sync()).body['@odata.deltaLink']);
    graph.moveEvent(id, t0 + 86_400_000, t0 + 90_000_000);
    const updated = await raw(link);
    same(updated.body, 'delta-updated-event');
    link = String(updated.body['@odata.deltaLink']);
    graph.deleteEvent(gone);
    same((await raw(link)).body, 'delta-removed-event');
    graph.expireSyncState();
    const expired = await raw(link);
    expect(expired.status).toBe(410);
    expect(expired.headers.get('location')).toContain('/calendarView/delta');
    same(expired.body, 'delta-410-sync-state-not-found');
  });

  it('sparse occurrences with their master, an exception, and the master read on its own', async () => {
    await start();
    const { masterId, occurrenceIds } = graph.addSeries({ ...invite, start: t0, end: t0 + 1_800_000, occurrences: 2, everyDays: 7 });
    const first = await sync();
    same(first.body, 'delta-sparse-occurrences-with-master');
    graph.moveEvent(occurrenceIds[1]!, t0 + 8 * 86_400_000, t0 + 8 * 86_400_000 + 1_800_000);
    same((await raw(String(first.body['@odata.deltaLink']))).body, 'delta-exception');
    same((await raw(`/v1.0/users/${BOT}/events/${masterId}`)).body, 'event-series-master');
  });

  it('a Windows time zone asked for with Prefer, and an all-day event', async () => {
    await start();
    graph.addEvent({ ...invite, start: t0, end: t0 + 3_600_000 });
    const pacific = await sync('outlook.timezone="Pacific Standard Time"');
    same(pacific.body, 'delta-windows-time-zone');
    expect((pacific.body.value as Array<{ start: { timeZone: string; dateTime: string } }>)[0]!.start).toEqual({ dateTime: '2026-12-07T08:00:00.0000000', timeZone: 'Pacific Standard Time' });
    await graph.close();
    await start();
    graph.addEvent({ ...invite, start: Date.UTC(2026, 11, 11), end: Date.UTC(2026, 11, 12), isAllDay: true, joinUrl: undefined });
    same((await sync()).body, 'delta-all-day-event');
  });
});
