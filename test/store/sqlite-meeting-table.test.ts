import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import { openSqliteReads } from '../../src/store/sqlite-reads.js';
import type { MeetingFilter } from '../../src/store/meetings-repo.js';
import type { NewMeeting } from '../../src/store/database.js';
import { listMeetings } from '../../src/lifecycle/reading/list-meetings.js';
import { formatTable } from '../../src/cli/format-table.js';
import { TABLE_HEADERS, localTimeFormatter, tableRow } from '../../src/cli/format-meeting.js';
import { ONE_CELL_GLOB_CLASS } from '../../src/cli/narrow-width.js';
import { printMeetingList } from '../../src/cli/print-meeting-list.js';
import { T0 } from '../helpers/seed-meetings.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const layout = { headers: TABLE_HEADERS, time: localTimeFormatter(), oneCellGlobClass: ONE_CELL_GLOB_CLASS };
const HOUR = 3_600_000;

/** A store with `seed` done, closed, and the CLI's direct reads on its file. */
async function readsAfter(seed: (store: Store) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-table-'));
  dirs.push(dir);
  const store = await openStore({ dataDir: dir });
  await seed(store);
  const expected = async (filter: MeetingFilter) => {
    const rows = (await listMeetings(store, filter)).map((m) => tableRow(m, layout.time));
    return rows.length === 0 ? '' : `${await formatTable(TABLE_HEADERS, rows)}\n`;
  };
  return { store, dir, expected };
}

function meeting(n: number, extra: Partial<NewMeeting> = {}): NewMeeting {
  return {
    event_id: `t-${n}`, source: 'graph', title: `Meeting ${n}`, start_at: T0 + n * HOUR, end_at: T0 + n * HOUR + HOUR / 2,
    organizer_email: 'stranger@elsewhere.com', user_id: null, status: 'scheduled', created_at: T0, updated_at: T0, ...extra,
  };
}

describe('the plain meetings table made by SQLite', () => {
  it('is formatTable\'s table byte for byte, filter by filter', async () => {
    const filters: MeetingFilter[] = [
      {}, { limit: 5 }, { status: ['cancelled', 'plan_sent'] }, { userEmail: 'JOSE@company.com' }, { unmatched: true }, { unmatched: false },
      { from: T0 + 3 * HOUR, to: T0 + 12 * HOUR }, { from: Date.UTC(2090, 0, 1) },
    ];
    const { store, dir, expected } = await readsAfter(async (s) => {
      // Text each character of which takes one cell: accents, a lone no-break space, the CLI's own
      // glyphs, quotes and pipes; clients without a name, without a name or email, with an empty company.
      const jose = (await s.users.upsert({ email: 'jose@company.com', name: 'José Núñez-Łódź', phone: '+34600000001', timezone: 'Europe/Madrid' }, T0)).user;
      const ann = (await s.users.upsert({ email: 'ann@company.com', name: 'Ann\u00A0Lee', phone: '+14155552671', timezone: 'UTC' }, T0)).user;
      const clients = [
        await s.clients.upsert({ email: 'ana@acme.com', name: 'Ana Ruiz', company: 'Acme | "Global"' }, T0),
        await s.clients.upsert({ email: 'nobody@globex.com', company: 'Globex…' }, T0),
        await s.clients.upsert({ email: null, name: null, company: '' }, T0),
        await s.clients.upsert({ email: 'zoe@initech.com', name: 'Zoë', company: null }, T0),
      ];
      const titles = ['Renewal ↻ pricing', 'Q3 ▁▂▃█ review', "O'Brien \"kick-off\" | 50% off", 'Ünïcödé Ñ ĳ Ŀ', ''];
      for (let n = 0; n < 24; n++) {
        const m = await s.meetings.insert(meeting(n, {
          title: n % 2 === 0 ? titles[n % titles.length]! || 'x' : `Weekly ${n}`,
          organizer_email: n % 5 === 0 ? 'Stranger@Elsewhere.com' : (n % 2 ? ann : jose).email,
          user_id: n % 5 === 0 ? null : (n % 2 ? ann : jose).id,
          status: (['scheduled', 'plan_sent', 'reminder_sent', 'completed', 'cancelled'] as const)[n % 5]!,
          plan_json: n % 3 === 0 ? '{"summary":"x"}' : null, reminded_at: n % 4 === 1 ? T0 : null,
          hubspot_note_id: n % 7 === 2 ? `note-${n}` : null, roleplay_score: n % 3 === 2 ? n % 10 + 1 : null,
          ...(n % 2 === 1 ? { series_master_id: `master-${n % 3}`, occurrence_kind: 'occurrence' as const } : {}),
        }));
        if (n % 4 !== 0) await s.clients.setForMeeting(m.id, clients.slice(n % 4 - 1, n % 4 + 1).map((c) => c.id));
      }
      await s.meetings.insert(meeting(99, { id: 123_456, title: 'A long id' } as Partial<NewMeeting>));
    });
    const wanted = await Promise.all(filters.map(expected));
    await store.close();
    const reads = openSqliteReads({ dataDir: dir })!;
    try {
      for (const [k, filter] of filters.entries()) {
        const pieces = await reads.meetings.listTable(filter, layout);
        expect(pieces, JSON.stringify(filter)).toBeDefined();
        expect([...pieces!].join(''), JSON.stringify(filter)).toBe(wanted[k]);
      }
      expect(wanted[0]).toContain('Ann\u00A0Lee');
      expect(wanted[0]).toContain('↻ 2/4 Weekly');
      expect(wanted[0]).toMatch(/\? \(\)|, \?/);
      expect(wanted.at(-1)).toBe('');
    } finally {
      await reads.close();
    }
  });

  it('writes a long table in pieces that join to the whole', async () => {
    const { store, dir, expected } = await readsAfter(async (s) => {
      await s.db.insertInto('meetings').values(Array.from({ length: 1500 }, (_, n) => meeting(n, { title: `Quarterly business review number ${n}` }))).execute();
    });
    const wanted = await expected({});
    await store.close();
    const reads = openSqliteReads({ dataDir: dir })!;
    try {
      const pieces = [...(await reads.meetings.listTable({}, layout))!];
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.join('')).toBe(wanted);
    } finally {
      await reads.close();
    }
  });

  // Each of these needs string-width's measure or formatTable's flattening: SQLite declines, and
  // `meetings list` prints formatTable's table instead.
  const declined: Array<[string, Partial<NewMeeting>]> = [
    ['a CJK title', { title: '王伟明 renewal' }],
    ['an emoji', { title: 'Kick-off 🚀' }],
    ['a combining mark', { title: 'Zoe\u0301' }],
    ['a soft hyphen', { title: 'soft\u00ADhyphen' }],
    ['a terminal escape', { title: '\u001b[31mred' }],
    ['DEL', { title: 'del\u007f' }],
    ['a tab', { title: 'a\tb' }],
    ['a line break', { title: 'two\nlines' }],
    ['a carriage return', { title: 'two\rlines' }],
    ['a run of spaces', { title: 'a  b' }],
    ['a no-break space next to a space', { title: 'a \u00A0b' }],
    ['a leading space', { title: ' lead' }],
    ['a trailing space', { title: 'trail ' }],
    ['a wide organizer', { organizer_email: '王@例子.中国' }],
    ['a spaced organizer', { organizer_email: 'x@y.com ' }],
    ['an empty title after a series mark', { title: '', series_master_id: 'master', occurrence_kind: 'occurrence' }],
    ['a start before the year 1000', { start_at: Date.UTC(999, 0, 10) }],
    ['a start after the year 9999', { start_at: Date.UTC(10_000, 0, 10) }],
  ];
  for (const [what, extra] of declined) {
    it(`declines ${what}; the CLI then formats the table itself`, async () => {
      const { store, dir, expected } = await readsAfter(async (s) => {
        await s.meetings.insert(meeting(1));
        await s.meetings.insert(meeting(2, extra));
      });
      const wanted = await expected({});
      await store.close();
      const reads = openSqliteReads({ dataDir: dir })!;
      try {
        expect(await reads.meetings.listTable({}, layout)).toBeUndefined();
        let out = '';
        await printMeetingList({ stdout: { write: (s: string) => { out += s; return true; } }, stderr: process.stderr } as never, reads, {}, false);
        expect(out).toBe(wanted);
      } finally {
        await reads.close();
      }
    });
  }

  it('declines a wide or spaced client or salesperson name', async () => {
    const withClient = (name: string, company: string | null) => async (s: Store) => {
      const m = await s.meetings.insert(meeting(1));
      await s.clients.setForMeeting(m.id, [(await s.clients.upsert({ email: 'wang@example.cn', name, company }, T0)).id]);
    };
    const withSalesperson = (name: string) => async (s: Store) => {
      const u = (await s.users.upsert({ email: 'li@company.com', name, phone: '+14155552673', timezone: 'UTC' }, T0)).user;
      await s.meetings.insert(meeting(1, { user_id: u.id, organizer_email: u.email }));
    };
    for (const seed of [withClient('王伟明', 'Acme'), withClient('Ana ', null), withClient(' Ana', 'Acme'), withSalesperson('Li 😀'), withSalesperson(' Li'), withSalesperson('Li ')]) {
      const { store, dir } = await readsAfter(seed);
      await store.close();
      const reads = openSqliteReads({ dataDir: dir })!;
      try {
        expect(await reads.meetings.listTable({}, layout)).toBeUndefined();
      } finally {
        await reads.close();
      }
    }
  });
});
