import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATION_NAMES } from '../../src/store/migration-names.js';
import { migrations } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open-store.js';
import { openSqliteReads } from '../../src/store/sqlite-reads.js';
import type { MeetingFilter } from '../../src/store/meetings-repo.js';
import { listMeetings } from '../../src/lifecycle/reading/list-meetings.js';
import { summaryJson } from '../../src/cli/format-meeting.js';
import { seedMeetings, T0 } from '../helpers/seed-meetings.js';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-reads-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('direct SQLite reads (the CLI without Kysely)', () => {
  it('names every migration of migrations.ts, in order, for both backends', () => {
    expect(MIGRATION_NAMES).toEqual(Object.keys(migrations('sqlite')));
    expect(MIGRATION_NAMES).toEqual(Object.keys(migrations('postgres')));
  });

  it('lists users exactly as the store repository does', async () => {
    const dir = dataDir();
    const store = await openStore({ dataDir: dir });
    for (const [email, phone] of [['zoe@x.com', '+14155552671'], ['adam@x.com', '+14155552672'], ['Mia@x.com', '+14155552673']] as const) {
      await store.users.upsert({ email, name: email.split('@')[0]!, phone, timezone: 'Europe/Madrid' }, 1_700_000_000_000);
    }
    const expected = await store.users.list();
    await store.close();
    const reads = openSqliteReads({ dataDir: dir });
    expect(reads).toBeDefined();
    try {
      expect(await reads!.users.list()).toEqual(expected);
    } finally {
      await reads!.close();
    }
  });

  it('declines a store that is not at the latest migration, so the full store migrates it', async () => {
    expect(openSqliteReads({ dataDir: dataDir() })).toBeUndefined();
    const dir = dataDir();
    const store = await openStore({ dataDir: dir });
    await store.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', MIGRATION_NAMES.at(-1) as never).execute();
    await store.close();
    expect(openSqliteReads({ dataDir: dir })).toBeUndefined();
  });

  it('lists meetings exactly as the store repository does, filter by filter, and its JSON byte for byte', async () => {
    const dir = dataDir();
    const store = await openStore({ dataDir: dir });
    const { users, clients } = await seedMeetings(store);
    // Text JSON escapes, times JSON.stringify and strftime must agree on (before 1970, odd
    // milliseconds, far ahead), two interleaved series with cancelled and unlisted meetings, scores.
    const odd = ['quote " backslash \\ tab \t newline \n', 'control \u0001\u001f del \u007f', 'line sep \u2028 para \u2029', '王伟明 ünïcödé 👍🏽 ↻', ''];
    const starts = [Date.UTC(1969, 11, 31, 23, 59, 59, 999), T0 + 1, T0 + 999, T0 + 123_456_789, Date.UTC(2099, 5, 30, 12, 0, 0, 5)];
    for (let i = 0; i < 30; i++) {
      const start = starts[i % starts.length]! + i * 3_600_000;
      const m = await store.meetings.insert({
        event_id: `odd-${i}`, source: i % 4 === 0 ? 'import' : 'graph', title: `${odd[i % odd.length]} #${i}`, start_at: start, end_at: start + 1_800_001,
        organizer_email: i % 6 === 0 ? 'Stranger@Elsewhere.com' : users.tom.email, user_id: i % 6 === 0 ? null : users.tom.id,
        status: (['scheduled', 'plan_sent', 'reminder_sent', 'completed', 'cancelled'] as const)[i % 5]!,
        plan_json: i % 3 === 0 ? null : '{"summary":"x"}', reminded_at: i % 4 === 1 ? start + 60_000 : null,
        hubspot_note_id: i % 7 === 2 ? `note-${i}` : null, roleplay_score: i % 3 === 2 ? i % 10 + 1 : null,
        created_at: T0, updated_at: T0,
        ...(i % 2 === 0 ? { series_master_id: `master-${i % 3}`, occurrence_kind: 'occurrence' as const } : {}),
      });
      if (i % 5 !== 0) await store.clients.setForMeeting(m.id, i % 2 === 0 ? [clients.bob.id, clients.ana.id] : [clients.ana.id]);
    }
    const filters: MeetingFilter[] = [
      {}, { limit: 7 }, { status: ['cancelled', 'plan_sent'] }, { userEmail: 'TOM@company.com' }, { unmatched: true }, { unmatched: false },
      { from: T0, to: T0 + 5 * 86_400_000 }, { from: Date.UTC(2090, 0, 1) }, { to: Date.UTC(1900, 0, 1) },
    ];
    const expected = await Promise.all(filters.map(async (filter) => ({
      rows: await store.meetings.listSummaries(filter),
      json: JSON.stringify((await listMeetings(store, filter)).map(summaryJson)),
    })));
    await store.close();
    const reads = openSqliteReads({ dataDir: dir })!;
    try {
      for (const [k, filter] of filters.entries()) {
        expect(await reads.meetings.listSummaries(filter), JSON.stringify(filter)).toEqual(expected[k]!.rows);
        expect([...reads.meetings.listJson(filter)].join(''), JSON.stringify(filter)).toBe(expected[k]!.json);
      }
      // The odd text did reach the JSON (JSON.stringify leaves U+2028 as it is; SQLite too).
      expect(expected[0]!.json).toContain('line sep \u2028 para');
      expect(expected[0]!.json).toContain('"start":"1969-12-31T23:59:59.999Z"');
    } finally {
      await reads.close();
    }
  });

  it('writes a long --json list in pieces that join to the repository\'s JSON', async () => {
    const dir = dataDir();
    const store = await openStore({ dataDir: dir });
    await seedMeetings(store);
    // About 300 bytes a meeting: 600 meetings run past two 64 KiB pieces.
    await store.db.insertInto('meetings').values(Array.from({ length: 600 }, (_, n) => ({
      event_id: `long-${n}`, source: 'graph' as const, title: `Quarterly review ${n} with a title long enough`, start_at: T0 + n * 60_000, end_at: T0 + n * 60_000 + 1_800_000,
      organizer_email: 'stranger@elsewhere.com', status: 'scheduled' as const, created_at: T0, updated_at: T0,
    }))).execute();
    const expected = JSON.stringify((await listMeetings(store, {})).map(summaryJson));
    await store.close();
    const reads = openSqliteReads({ dataDir: dir })!;
    try {
      const pieces = [...reads.meetings.listJson({})];
      expect(pieces.length).toBeGreaterThan(2);
      expect(pieces.filter((p) => p.length >= 64 * 1024).length).toBeGreaterThanOrEqual(2);
      expect(pieces.join('')).toBe(expected);
      expect(JSON.parse(pieces.join(''))).toHaveLength(604);
    } finally {
      await reads.close();
    }
  });
});
