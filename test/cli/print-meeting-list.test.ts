import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';
import { seedMeetings, T0 } from '../helpers/seed-meetings.js';
import { runCli } from '../helpers/run-cli.js';
import { listMeetings } from '../../src/lifecycle/reading/list-meetings.js';
import { summaryJson } from '../../src/cli/format-meeting.js';

function configFor(t: TestStore): string {
  const path = `${mkdtempSync(`${tmpdir()}/rolplay-list-`)}/config.json`;
  writeFileSync(path, JSON.stringify(t.sqlitePath ? { dataDir: dirname(t.sqlitePath) } : { database: { url: t.databaseUrl } }));
  return path;
}

describe.each(backends)('meetings list --json on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('writes, piece by piece, exactly JSON.stringify of the whole list', async () => {
    t = await freshStore(backend);
    const { users, clients } = await seedMeetings(t.store);
    // Enough meetings for several 64 KB pieces: a recurring series, text that JSON escapes, no clients.
    for (let i = 0; i < 300; i++) {
      const m = await t.store.meetings.insert({
        event_id: `bulk-${i}`, source: i % 7 === 0 ? 'import' : 'graph', title: `Bulk "${i}" \\ ünïcödé 王伟明 ↻\n${'x'.repeat(i % 50)}`,
        start_at: T0 + (10 + i) * 3_600_000, end_at: T0 + (10 + i) * 3_600_000 + 1_800_000,
        organizer_email: i % 5 === 0 ? 'nobody@elsewhere.com' : users.sara.email, user_id: i % 5 === 0 ? null : users.sara.id,
        status: i % 11 === 0 ? 'cancelled' : 'scheduled', created_at: T0, updated_at: T0,
        ...(i % 3 === 0 ? { series_master_id: `master-${i % 4}`, occurrence_kind: 'occurrence' as const } : {}),
      });
      if (i % 4 !== 0) await t.store.clients.setForMeeting(m.id, i % 2 === 0 ? [clients.bob.id, clients.ana.id] : [clients.ana.id]);
    }
    const expected = `${JSON.stringify((await listMeetings(t.store)).map(summaryJson))}\n`;
    expect(expected.length).toBeGreaterThan(64 * 1024);
    const run = await runCli(['--config', configFor(t), 'meetings', 'list', '--json']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(expected);
    const parsed = JSON.parse(run.stdout) as Array<ReturnType<typeof summaryJson>>;
    expect(parsed).toHaveLength(304);
    expect(parsed.find((m) => m.title.startsWith('Bulk "3"'))).toMatchObject({ clients: [{ name: 'Ana Ruiz' }], series: { masterId: 'master-3', index: 1 } });
    expect(parsed.find((m) => m.title.startsWith('Bulk "0"'))).toMatchObject({ clients: [], salesperson: null, organizer: 'nobody@elsewhere.com' });
    const empty = await runCli(['--config', configFor(t), 'meetings', 'list', '--json', '--to', '2020-01-01']);
    expect(empty.stdout).toBe('[]\n');
  });
});
