import { dirname } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../../helpers/stores.js';
import { listMeetings } from '../../../src/lifecycle/reading/list-meetings.js';
import { meetingDetails } from '../../../src/lifecycle/reading/meeting-details.js';
import { runCli } from '../../helpers/run-cli.js';
import type { MeetingStatus } from '../../../src/store/database.js';
import type { Store } from '../../../src/store/open-store.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const DAY = 86_400_000;

/**
 * Two recurring series and two single meetings, stored as the ingest stores them: a weekly
 * "Acme weekly" with four meetings (the second cancelled, the fourth an exception moved to the
 * same start as the third) and a two-meeting "Globex onboarding" whose second is listed first.
 */
async function seed(store: Store) {
  const user = (await store.users.upsert({ email: 'sara@company.com', name: 'Sara Lopez', phone: '+14155552671', timezone: 'UTC' }, T0)).user;
  let n = 0;
  const add = (title: string, start: number, extra: { series?: string; kind?: 'occurrence' | 'exception'; status?: MeetingStatus } = {}) => store.meetings.insert({
    event_id: `evt-${++n}`, source: 'graph', title, start_at: start, end_at: start + 3_600_000, organizer_email: user.email, user_id: user.id,
    status: extra.status ?? 'scheduled', series_master_id: extra.series ?? null, occurrence_kind: extra.series ? (extra.kind ?? 'occurrence') : null,
    created_at: T0, updated_at: T0,
  });
  const globex2 = await add('Globex onboarding', T0 + 3 * DAY, { series: 'AAMk-globex' });
  const single = await add('Initech intro', T0 + DAY / 2);
  const acme = [
    await add('Acme weekly', T0 + 1 * DAY, { series: 'AAMk-acme' }),
    await add('Acme weekly', T0 + 8 * DAY, { series: 'AAMk-acme', status: 'cancelled' }),
    await add('Acme weekly', T0 + 15 * DAY, { series: 'AAMk-acme', status: 'completed' }),
    await add('Acme weekly (moved)', T0 + 15 * DAY, { series: 'AAMk-acme', kind: 'exception' }),
  ];
  const globex1 = await add('Globex onboarding', T0 + 2 * DAY, { series: 'AAMk-globex' });
  const other = await add('Solo call', T0 + 20 * DAY);
  return { acme, globex: [globex1, globex2], single, other };
}

describe.each(backends)('series marks in meeting lists on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('gives each meeting of a series its place among the series\' meetings not cancelled, and null to single meetings', async () => {
    t = await freshStore(backend);
    const { acme, globex, single, other } = await seed(t.store);
    const byId = new Map((await listMeetings(t.store)).map((m) => [m.id, m.series]));
    expect(byId.get(single.id)).toBeNull();
    expect(byId.get(other.id)).toBeNull();
    expect(acme.map((m) => byId.get(m.id))).toEqual([
      { masterId: 'AAMk-acme', index: 1, count: 3 },
      { masterId: 'AAMk-acme', index: null, count: 3 },
      // Same start: the one stored first comes first.
      { masterId: 'AAMk-acme', index: 2, count: 3 },
      { masterId: 'AAMk-acme', index: 3, count: 3 },
    ]);
    expect(globex.map((m) => byId.get(m.id))).toEqual([{ masterId: 'AAMk-globex', index: 1, count: 2 }, { masterId: 'AAMk-globex', index: 2, count: 2 }]);
  });

  it('counts over the whole series whatever the list\'s filter, and `show` agrees with the list', async () => {
    t = await freshStore(backend);
    const { acme } = await seed(t.store);
    const later = await listMeetings(t.store, { from: T0 + 10 * DAY, status: ['scheduled'] });
    expect(later.map((m) => [m.title, m.series?.index, m.series?.count])).toEqual([['Acme weekly (moved)', 3, 3], ['Solo call', undefined, undefined]]);
    // A list the limit cuts short does not hold the whole series either.
    const firstThree = await listMeetings(t.store, { limit: 3 });
    expect(firstThree.map((m) => [m.title, m.series?.index, m.series?.count])).toEqual([['Initech intro', undefined, undefined], ['Acme weekly', 1, 3], ['Globex onboarding', 1, 2]]);
    const detail = await meetingDetails(t.store, acme[3]!.id);
    expect(detail).toMatchObject({ series: { masterId: 'AAMk-acme', index: 3, count: 3 }, occurrenceKind: 'exception' });
    expect((await meetingDetails(t.store, acme[1]!.id)).series).toEqual({ masterId: 'AAMk-acme', index: null, count: 3 });
  });

  it('the CLI marks occurrences in the table, the JSON and `meetings show`', async () => {
    t = await freshStore(backend);
    const { acme } = await seed(t.store);
    const cfg = `${mkdtempSync(`${tmpdir()}/rolplay-series-`)}/config.json`;
    writeFileSync(cfg, JSON.stringify(t.sqlitePath ? { dataDir: dirname(t.sqlitePath) } : { database: { url: t.databaseUrl } }));
    const table = await runCli(['--config', cfg, 'meetings', 'list'], { TZ: 'UTC' });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +START +SALESPERSON +CLIENTS +TITLE +STATUS +P\/R\/N +SCORE$/);
    expect(lines.find((l) => l.startsWith(`${acme[0]!.id} `))).toMatch(/ {2}↻ 1\/3 Acme weekly +scheduled/);
    expect(lines.find((l) => l.startsWith(`${acme[1]!.id} `))).toMatch(/ {2}↻ -\/3 Acme weekly +cancelled/);
    expect(lines.find((l) => l.includes('Initech intro'))).toMatch(/ {2}Initech intro +scheduled/);
    const json = JSON.parse((await runCli(['--config', cfg, 'meetings', 'list', '--json'])).stdout) as Array<{ id: number; series: unknown }>;
    expect(json.find((m) => m.id === acme[2]!.id)!.series).toEqual({ masterId: 'AAMk-acme', index: 2, count: 3 });
    expect(json.filter((m) => m.series === null)).toHaveLength(2);
    const show = await runCli(['--config', cfg, 'meetings', 'show', String(acme[3]!.id)], { TZ: 'UTC' });
    expect(show.stdout).toContain('Series:      ↻ 3/3  (recurring: meeting 3 of 3 known; edited on its own)');
    const cancelled = await runCli(['--config', cfg, 'meetings', 'show', String(acme[1]!.id)], { TZ: 'UTC' });
    expect(cancelled.stdout).toContain('Series:      ↻ -/3  (recurring: cancelled; 3 other meetings known)');
    const showJson = JSON.parse((await runCli(['--config', cfg, 'meetings', 'show', String(acme[0]!.id), '--json'])).stdout);
    expect(showJson.series).toEqual({ masterId: 'AAMk-acme', index: 1, count: 3 });
  });
});
