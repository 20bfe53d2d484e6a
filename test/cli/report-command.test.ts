import { afterEach, describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';
import { DAY, HOUR, seedReport } from '../helpers/seed-report.js';
import { runCli } from '../helpers/run-cli.js';

function configFor(t: TestStore, timezone = 'UTC'): string {
  const path = `${mkdtempSync(`${tmpdir()}/rolplay-report-`)}/config.json`;
  writeFileSync(path, JSON.stringify({ ...(t.sqlitePath ? { dataDir: dirname(t.sqlitePath) } : { database: { url: t.databaseUrl } }), defaults: { timezone } }));
  return path;
}

/** The default period in UTC: the last 7 days, today included. */
function defaultPeriod() {
  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  return { now, p0: today - 6 * DAY, to: today + DAY };
}

const iso = (at: number) => new Date(at).toISOString();
const nulls = { discovery: null, objectionHandling: null, nextStep: null };

describe.each(backends)('rolplay report on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('reports every figure per salesperson and for the team, against the previous week (JSON)', async () => {
    t = await freshStore(backend);
    const { now, p0, to } = defaultPeriod();
    const { meetings } = await seedReport(t.store, p0, now);
    const run = await runCli(['--config', configFor(t), 'report', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.period).toMatchObject({ from: iso(p0), to: iso(to), timeZone: 'UTC', days: 7, trendDays: 1, previous: { from: iso(p0 - 7 * DAY), to: iso(p0) } });
    expect(report.users.map((u: { email: string }) => u.email)).toEqual(['ida@company.com', 'sara@company.com', 'tom@company.com']);
    const [ida, sara, tom] = report.users;

    expect(sara).toEqual({
      email: 'sara@company.com', name: 'Sara Lopez',
      // Acme, Globex, Initech, "Just ended", "Logged without HubSpot" (the cancelled call does not count).
      meetings: 5, plansSent: 3, roleplays: 3, averageScore: 7.67, rubric: { discovery: 6, objectionHandling: 8, nextStep: 6 },
      // Acme (3 h), Globex (5 h) and Hooli (a meeting of last week, 59 h) reached HubSpot this week.
      outcomesLogged: 3, medianHoursToOutcome: 5,
      missingOutcomes: [{ meetingId: meetings.m3.id, title: 'Initech demo', email: 'sara@company.com', startAt: iso(p0 + 3 * DAY + 10 * HOUR), endAt: iso(p0 + 3 * DAY + 11 * HOUR), status: 'reminder_sent', waitingFor: 'salesperson' }],
      scoreTrend: [null, 7, null, 9, null, null, null],
      change: { meetings: 3, plansSent: 2, roleplays: 2, averageScore: 2.67, rubric: { discovery: 2, objectionHandling: 2, nextStep: 1 }, outcomesLogged: 2, medianHoursToOutcome: 4 },
    });
    expect(tom).toMatchObject({
      meetings: 1, plansSent: 1, roleplays: 1, averageScore: 4, rubric: { discovery: 3, objectionHandling: 5, nextStep: 4 }, outcomesLogged: 0, medianHoursToOutcome: null,
      missingOutcomes: [{ meetingId: meetings.t1.id, title: 'Umbrella pilot', waitingFor: 'hubspot' }],
      scoreTrend: [null, null, null, null, null, 4, null],
      change: { meetings: 1, plansSent: 1, roleplays: 1, averageScore: null, rubric: nulls, outcomesLogged: 0, medianHoursToOutcome: null },
    });
    expect(ida).toEqual({
      email: 'ida@company.com', name: 'Ida Idle', meetings: 0, plansSent: 0, roleplays: 0, averageScore: null, rubric: nulls, outcomesLogged: 0,
      missingOutcomes: [], medianHoursToOutcome: null, scoreTrend: [null, null, null, null, null, null, null],
      change: { meetings: 0, plansSent: 0, roleplays: 0, averageScore: null, rubric: nulls, outcomesLogged: 0, medianHoursToOutcome: null },
    });
    // The team's averages are over all four role-plays, not an average of averages.
    expect(report.team).toMatchObject({
      salespeople: 3, meetings: 6, plansSent: 4, roleplays: 4, averageScore: 6.75, rubric: { discovery: 5.25, objectionHandling: 7.25, nextStep: 5.5 },
      outcomesLogged: 3, medianHoursToOutcome: 5, scoreTrend: [null, 7, null, 9, null, 4, null],
      change: { meetings: 4, plansSent: 3, roleplays: 3, averageScore: 1.75, rubric: { discovery: 1.25, objectionHandling: 1.25, nextStep: 0.5 }, outcomesLogged: 2, medianHoursToOutcome: 4 },
    });
    expect(report.team.missingOutcomes.map((m: { title: string }) => m.title)).toEqual(['Umbrella pilot', 'Initech demo']);

    const one = JSON.parse((await runCli(['--config', configFor(t), 'report', '--json', '--user', 'TOM@company.com'])).stdout);
    expect(one.users.map((u: { email: string }) => u.email)).toEqual(['tom@company.com']);
    expect(one.team.roleplays).toBe(4);
  });

  it('prints the same figures as a table with a score sparkline, a team row and the missing outcomes', async () => {
    t = await freshStore(backend);
    const { now, p0 } = defaultPeriod();
    await seedReport(t.store, p0, now);
    const run = await runCli(['--config', configFor(t), 'report'], { TZ: 'UTC' });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`rolplay report: ${iso(p0).slice(0, 10)} to ${iso(p0 + 6 * DAY).slice(0, 10)} (7 days, UTC)`);
    const header = lines.findIndex((l) => l.startsWith('SALESPERSON'));
    expect(lines[header]).toMatch(/^SALESPERSON +MEETINGS +PLANS +ROLE-PLAYS +SCORE +TREND +DISCOVERY +OBJECTIONS +NEXT STEP +OUTCOMES +MISSING +HOURS TO OUTCOME$/);
    const cells = (name: string) => lines.find((l) => l.startsWith(name))!.split(/ {2,}/);
    expect(cells('Sara Lopez')).toEqual(['Sara Lopez', '5 (+3)', '3 (+2)', '3 (+2)', '7.7 (+2.7)', '·▆·▇···', '6.0 (+2.0)', '8.0 (+2.0)', '6.0 (+1.0)', '3 (+2)', '1', '5.0 (+4.0)']);
    expect(cells('Tom Reed')).toEqual(['Tom Reed', '1 (+1)', '1 (+1)', '1 (+1)', '4.0', '·····▃·', '3.0', '5.0', '4.0', '0 (±0)', '1', '-']);
    expect(cells('Ida Idle')).toEqual(['Ida Idle', '0 (±0)', '0 (±0)', '0 (±0)', '-', '·······', '-', '-', '-', '0 (±0)', '0', '-']);
    expect(cells('Team (3)')).toEqual(['Team (3)', '6 (+4)', '4 (+3)', '4 (+3)', '6.8 (+1.8)', '·▆·▇·▃·', '5.3 (+1.3)', '7.3 (+1.3)', '5.5 (+0.5)', '3 (+2)', '2', '5.0 (+4.0)']);
    // Columns line up: every row's cells end where the header's do.
    const table = lines.slice(header, header + 6).filter((l) => !l.startsWith('-'));
    expect(new Set(table.map((l) => l.indexOf('MISSING') >= 0 ? l.indexOf('MISSING') + 'MISSING'.length : -1)).size).toBe(2);
    expect(run.stdout).toContain('Missing outcomes (meetings over for more than a day with nothing logged to HubSpot):');
    expect(run.stdout).toMatch(/Tom Reed +\S+ \S+ +Umbrella pilot +HubSpot \(answered\)/);
    expect(run.stdout).toMatch(/Sara Lopez +\S+ \S+ +Initech demo +the salesperson/);
  });

  it('an empty period is an empty report with a clear line, exit 0', async () => {
    t = await freshStore(backend);
    const { now, p0 } = defaultPeriod();
    await seedReport(t.store, p0, now);
    const run = await runCli(['--config', configFor(t), 'report', '--from', '2020-01-01', '--to', '2020-01-07'], { TZ: 'UTC' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rolplay report: 2020-01-01 to 2020-01-07 (7 days, UTC)');
    expect(run.stdout).toContain('Nothing in this period: no meetings, role-plays or outcomes logged.');
    const json = JSON.parse((await runCli(['--config', configFor(t), 'report', '--from', '2020-01-01', '--to', '2020-01-07', '--json'])).stdout);
    expect(json.team).toMatchObject({ meetings: 0, roleplays: 0, averageScore: null, outcomesLogged: 0, missingOutcomes: [] });
    expect(json.users).toHaveLength(3);
  });
});

describe('rolplay report: dates and bad input', () => {
  const store = async () => {
    const t = await freshStore('sqlite');
    return { t, cfg: (tz?: string) => configFor(t, tz) };
  };

  it('reads days in the company time zone, includes the --to day, and takes ISO times as given', async () => {
    const { t, cfg } = await store();
    try {
      const period = async (tz: string, ...args: string[]) => JSON.parse((await runCli(['--config', cfg(tz), 'report', '--json', ...args])).stdout).period;
      // New York is UTC-5 until 8 March 2026 (its midnight is still before the change).
      expect(await period('America/New_York', '--from', '2026-03-01', '--to', '2026-03-07')).toMatchObject({ from: '2026-03-01T05:00:00.000Z', to: '2026-03-08T05:00:00.000Z', days: 7, previous: { from: '2026-02-22T05:00:00.000Z' } });
      expect(await period('Europe/Madrid', '--from', '2026-07-01T09:00', '--to', '2026-07-02T09:00Z')).toMatchObject({ from: '2026-07-01T07:00:00.000Z', to: '2026-07-02T09:00:00.000Z' });
      // A week across the end of summer time (25 October 2026 in Madrid) is 7 days of 169 hours, compared with the week before, midnight to midnight.
      expect(await period('Europe/Madrid', '--from', '2026-10-19', '--to', '2026-10-25')).toMatchObject({ from: '2026-10-18T22:00:00.000Z', to: '2026-10-25T23:00:00.000Z', days: 7, previous: { from: '2026-10-11T22:00:00.000Z', to: '2026-10-18T22:00:00.000Z' } });
      const madrid = await period('Europe/Madrid');
      expect(Date.parse(madrid.to) - Date.parse(madrid.from)).toBe(7 * DAY);
      expect(new Date(Date.parse(madrid.to)).toLocaleString('en-GB', { timeZone: 'Europe/Madrid', hour: '2-digit', minute: '2-digit' })).toBe('00:00');
      expect(Date.parse(madrid.to)).toBeGreaterThan(Date.now());
      expect(Date.parse(madrid.to) - Date.now()).toBeLessThanOrEqual(DAY);
    } finally {
      await t.dispose();
    }
  });

  it.each([
    [['--from', '2026-02-30'], /^rolplay: --from: "2026-02-30" is not a date: expected YYYY-MM-DD \(a day in the company time zone, UTC\) or an ISO 8601 time/],
    [['--to', 'last week'], /^rolplay: --to: "last week" is not a date/],
    [['--from', '2026-02-01', '--to', '2026-01-01'], /^rolplay: --from \(2026-02-01\) is not before --to \(2026-01-01\)/],
    [['--from', '2999-01-01'], /^rolplay: --from \(2999-01-01\) is not before the end of today/],
    [['--user', 'nobody@company.com'], /^rolplay: --user: no salesperson is registered as nobody@company.com \(see `rolplay user list`\)/],
  ])('%j: one line naming the option, exit 1', async (args, message) => {
    const { t, cfg } = await store();
    try {
      const run = await runCli(['--config', cfg(), 'report', ...args]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await t.dispose();
    }
  });

  it('lines the table up in terminal cells when a name is in a wide script', async () => {
    const { t, cfg } = await store();
    try {
      await t.store.users.upsert({ email: 'wang@company.com', name: '王伟明', phone: '+8613800138000', timezone: 'UTC' }, Date.now());
      await t.store.users.upsert({ email: 'al@company.com', name: 'Al', phone: '+14155552674', timezone: 'UTC' }, Date.now());
      const run = await runCli(['--config', cfg(), 'report']);
      const lines = run.stdout.split('\n');
      const header = lines.find((l) => l.startsWith('SALESPERSON'))!;
      const end = header.indexOf('MEETINGS') + 'MEETINGS'.length;
      // 王伟明 is six cells wide in three characters: its row has three characters fewer before the column's end.
      expect(lines.find((l) => l.startsWith('Al '))!.indexOf('0 (±0)') + '0 (±0)'.length).toBe(end);
      expect(lines.find((l) => l.startsWith('王伟明'))!.indexOf('0 (±0)') + '0 (±0)'.length).toBe(end - 3);
    } finally {
      await t.dispose();
    }
  });

  it('with nobody registered, says how to add salespeople', async () => {
    const { t, cfg } = await store();
    try {
      const run = await runCli(['--config', cfg(), 'report']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('No salespeople are registered yet: add them with `rolplay user add`.');
    } finally {
      await t.dispose();
    }
  });
});
