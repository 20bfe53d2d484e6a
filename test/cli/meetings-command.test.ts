import { afterEach, describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';
import { seedMeetings } from '../helpers/seed-meetings.js';
import { runCli } from '../helpers/run-cli.js';
import { localTimeFormatter } from '../../src/cli/format-meeting.js';

/** A config file pointing the CLI at the test store (SQLite file or PostgreSQL database). */
function configFor(t: TestStore): string {
  const path = `${mkdtempSync(`${tmpdir()}/rolplay-meetings-`)}/config.json`;
  writeFileSync(path, JSON.stringify(t.sqlitePath ? { dataDir: dirname(t.sqlitePath) } : { database: { url: t.databaseUrl } }));
  return path;
}

describe.each(backends)('rolplay meetings on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('prints an aligned plain table when piped', async () => {
    t = await freshStore(backend);
    await seedMeetings(t.store);
    const run = await runCli(['--config', configFor(t), 'meetings', 'list'], { TZ: 'UTC' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +START +SALESPERSON +CLIENTS +TITLE +STATUS +P\/R\/N +SCORE$/);
    expect(lines).toHaveLength(5);
    const statusColumn = lines[0]!.indexOf('STATUS');
    expect(lines.slice(1).map((l) => l.slice(statusColumn).split(/\s+/)[0])).toEqual(['plan_sent', 'completed', 'cancelled', 'scheduled']);
    expect(lines[2]).toContain('Tom Reed');
    expect(lines[2]).toContain('Ana Ruiz (Acme), Bob Stone (Globex)');
    expect(lines[2]).toMatch(/PRN$/);
    expect(lines[4]).toContain('stranger@elsewhere.com (unmatched)');
  });

  it('says in one line when no meeting matches, and prints an empty JSON array', async () => {
    t = await freshStore(backend);
    await seedMeetings(t.store);
    const cfg = configFor(t);
    const table = await runCli(['--config', cfg, 'meetings', 'list', '--from', '2099-01-01'], { TZ: 'UTC' });
    expect(table.code).toBe(0);
    expect(table.stdout).toBe('No meetings match. Meetings appear once a registered salesperson invites the bot (see `rolplay doctor`), or with `rolplay meetings import`.\n');
    const json = await runCli(['--config', cfg, 'meetings', 'list', '--from', '2099-01-01', '--json']);
    expect(json.stdout).toBe('[]\n');
  });

  it('prints one JSON array with --json, honouring the filters', async () => {
    t = await freshStore(backend);
    const { meetings } = await seedMeetings(t.store);
    const all = await runCli(['--config', configFor(t), 'meetings', 'list', '--json']);
    const parsed = JSON.parse(all.stdout);
    expect(parsed).toHaveLength(4);
    expect(parsed[0]).toMatchObject({ id: meetings.planned.id, title: 'Acme renewal', status: 'plan_sent', start: '2026-01-06T09:00:00.000Z', salesperson: { email: 'sara@company.com' }, plan: true, reminder: false, hubspotNoteId: null });
    const cfg = configFor(t);
    const titles = async (...args: string[]) => JSON.parse((await runCli(['--config', cfg, 'meetings', 'list', '--json', ...args], { TZ: 'UTC' })).stdout).map((m: { title: string }) => m.title);
    expect(await titles('--status', 'completed,cancelled')).toEqual(['Globex intro', 'Cancelled demo']);
    expect(await titles('--user', 'Tom@Company.com')).toEqual(['Globex intro']);
    expect(await titles('--unmatched')).toEqual(['Stranger call']);
    expect(await titles('--from', '2026-01-07', '--to', '2026-01-08')).toEqual(['Globex intro', 'Cancelled demo']);
    expect(await titles('--limit', '2')).toEqual(['Acme renewal', 'Globex intro']);
  });

  it('shows one meeting as text and JSON, and says so in one line when the id is unknown', async () => {
    t = await freshStore(backend);
    const { meetings } = await seedMeetings(t.store);
    const cfg = configFor(t);
    const text = await runCli(['--config', cfg, 'meetings', 'show', String(meetings.planned.id)], { TZ: 'UTC' });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Title:       Acme renewal');
    expect(text.stdout).toContain('Summary: Renewal with a price objection coming');
    expect(text.stdout).toContain('  2. Offer a two-year term');
    expect(text.stdout).toContain('<- inbound\n    What if they ask for a discount?');
    expect(text.stdout).toMatch(/send_whatsapp failed .*last error: Twilio error 63016/);
    const json = JSON.parse((await runCli(['--config', cfg, 'meetings', 'show', String(meetings.done.id), '--json'])).stdout);
    expect(json).toMatchObject({ title: 'Globex intro', hubspotNoteId: '9001', clients: [{ email: 'ana@acme.com', hubspotContactId: '501' }, { email: 'bob@globex.com' }] });
    const missing = await runCli(['--config', cfg, 'meetings', 'show', '999']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('rolplay: no meeting with id 999 (see `rolplay meetings list`)\n');
  });
});

describe.each(backends)('rolplay meetings: practice scores on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('shows the latest practice score in the table and as `score` in JSON, and every practice in `meetings show`', async () => {
    t = await freshStore(backend);
    const { users, meetings } = await seedMeetings(t.store);
    const started = Date.UTC(2026, 0, 5, 8, 0);
    for (const [n, score] of [[0, 4], [1, 7]] as const) {
      await t.store.roleplays.record({
        meetingId: meetings.planned.id, userId: users.sara.id, difficulty: n === 0 ? 'normal' : 'hard', focus: n === 0 ? null : 'objectionHandling',
        startedAt: started + n * 3_600_000, scoredAt: started + n * 3_600_000 + 300_000, score, discovery: 6, objectionHandling: score, nextStep: 8,
        summary: `Attempt ${n + 1}: clear value story`, tips: ['Quantify the cost of waiting', 'Ask for the signer'],
        transcript: [{ from: 'bot', text: 'Your price went up.' }, { from: 'salesperson', text: 'Usage doubled,\nso did the value.' }],
      });
    }
    await t.store.meetings.update(meetings.planned.id, { roleplay_score: 7 });
    const cfg = configFor(t);

    const table = (await runCli(['--config', cfg, 'meetings', 'list'], { TZ: 'UTC' })).stdout.trimEnd().split('\n');
    const scoreAt = table[0]!.indexOf('SCORE');
    expect(table.slice(1).map((l) => l.slice(scoreAt).trim())).toEqual(['7/10', '', '', '']);

    const json = JSON.parse((await runCli(['--config', cfg, 'meetings', 'list', '--json'])).stdout) as Array<{ title: string; score: number | null }>;
    expect(json.map((m) => [m.title, m.score])).toEqual([['Acme renewal', 7], ['Globex intro', null], ['Cancelled demo', null], ['Stranger call', null]]);

    const show = await runCli(['--config', cfg, 'meetings', 'show', String(meetings.planned.id)]);
    // `meetings show` writes times in the operator's zone (this process's).
    const time = localTimeFormatter();
    expect(show.stdout).toContain('Role-play score: 7/10 (latest practice)');
    expect(show.stdout).toContain([
      '== Role-plays',
      `#1 scored ${time(started + 300_000)}: 4/10  (normal)`,
      '    Discovery 6/10 · Objection handling 4/10 · Next step 8/10',
      '    Summary: Attempt 1: clear value story',
      '    Tip: Quantify the cost of waiting',
      '    Tip: Ask for the signer',
      `    Transcript (started ${time(started)}):`,
      '      Client: Your price went up.',
      '      Salesperson: Usage doubled,',
      '        so did the value.',
      '',
      `#2 scored ${time(started + 3_900_000)}: 7/10  (hard, leaning on objection handling)`,
    ].join('\n'));
    const none = await runCli(['--config', cfg, 'meetings', 'show', String(meetings.done.id)]);
    expect(none.stdout).toContain('== Role-plays\n(no role-play yet');

    const detail = JSON.parse((await runCli(['--config', cfg, 'meetings', 'show', String(meetings.planned.id), '--json'])).stdout);
    expect(detail).toMatchObject({ score: 7, roleplayScore: 7 });
    expect(detail.roleplays).toHaveLength(2);
    expect(detail.roleplays[1]).toMatchObject({
      startedAt: '2026-01-05T09:00:00.000Z', scoredAt: '2026-01-05T09:05:00.000Z', difficulty: 'hard', focus: 'objectionHandling', score: 7,
      rubric: { discovery: 6, objectionHandling: 7, nextStep: 8 }, summary: 'Attempt 2: clear value story', tips: ['Quantify the cost of waiting', 'Ask for the signer'],
      transcript: [{ from: 'bot', text: 'Your price went up.' }, { from: 'salesperson', text: 'Usage doubled,\nso did the value.' }],
    });
  });
});

describe('rolplay meetings: bad input', () => {
  it.each([
    [['list', '--status', 'done'], /--status: "done" is not a meeting status: expected one or more of scheduled, plan_sent, reminder_sent, completed, cancelled/],
    [['list', '--from', '2026-13-01'], /--from: "2026-13-01" is not a date/],
    [['list', '--to', 'next week'], /--to: "next week" is not a date/],
    [['list', '--from', '2026-02-01', '--to', '2026-01-01'], /--from \(2026-02-01\) is not before --to \(2026-01-01\)/],
    [['list', '--limit', '0'], /--limit: "0" is not a whole number/],
    [['list', '--user', 'sara'], /--user: "sara" is not an email address/],
    [['show', 'abc'], /"abc" is not a meeting id/],
  ])('%j: one clear line, exit 1', async (args, message) => {
    const dir = mkdtempSync(`${tmpdir()}/rolplay-bad-`);
    const cfg = `${dir}/config.json`;
    writeFileSync(cfg, JSON.stringify({ dataDir: dir }));
    const run = await runCli(['--config', cfg, 'meetings', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
