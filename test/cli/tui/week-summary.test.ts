import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../../helpers/stores.js';
import { seedMeetings, T0 } from '../../helpers/seed-meetings.js';
import { loadWeekSummary, weekSummaryLine } from '../../../src/cli/tui/week-summary.js';
import type { Report } from '../../../src/lifecycle/reporting/build-report.js';

const DAY = 86_400_000;
/** A week after the seeded meetings (5-9 January): the last 7 days are 6-12 January. */
const NOW = T0 + 7 * DAY + 3 * 3_600_000;

describe.each(backends)('the report line of the meetings UI on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('sums up `rolplay report` for the last 7 days: the team, or the --user salesperson', async () => {
    t = await freshStore(backend);
    const { users, meetings } = await seedMeetings(t.store);
    const practice = (scoredAt: number, score: number) => t.store.roleplays.record({
      meetingId: meetings.planned.id, userId: users.sara.id, difficulty: 'normal', focus: null, startedAt: scoredAt - 600_000, scoredAt,
      score, discovery: score, objectionHandling: score, nextStep: score, summary: null, tips: [], transcript: [],
    });
    await practice(T0 + DAY, 6);
    await practice(T0 + 2 * DAY, 8);
    // The week before: the average is compared with it.
    await practice(T0 - 3 * DAY, 5);
    const line = async (userEmail?: string) => (await loadWeekSummary(t.store, { timeZone: 'UTC', userEmail, now: NOW })).line;
    // Cancelled and unmatched meetings do not count; only Acme renewal's plan went out on WhatsApp;
    // Acme renewal ended days ago with nothing logged, Globex intro has its HubSpot note.
    expect(await line()).toBe('Team, last 7 days: 2 meetings · 1 plan sent · 2 role-plays, avg 7.0 (+2.0) · 1 outcome missing');
    expect(await line('Sara@Company.com')).toBe('Sara Lopez, last 7 days: 1 meeting · 1 plan sent · 2 role-plays, avg 7.0 (+2.0) · 1 outcome missing');
    expect(await line('tom@company.com')).toBe('Tom Reed, last 7 days: 1 meeting · 0 plans sent · 0 role-plays · 0 outcomes missing');
    // A --user who is not registered lists nothing: the line stays the team's.
    expect(await line('nobody@company.com')).toMatch(/^Team, last 7 days: 2 meetings/);
    expect((await loadWeekSummary(t.store, { timeZone: 'UTC', now: NOW })).short).toBe('7 days: 2 meetings · 1 plan · 2 role-plays 7.0 · 1 missing');
  });
});

describe('weekSummaryLine', () => {
  const figures = (over: Partial<Report['team']> = {}): Report['team'] => ({
    salespeople: 2, meetings: 1, plansSent: 1, roleplays: 1, averageScore: 6.25, rubric: { discovery: 6, objectionHandling: 6, nextStep: 7 },
    outcomesLogged: 0, missingOutcomes: [], medianHoursToOutcome: null, scoreTrend: [],
    change: { meetings: 0, plansSent: 0, roleplays: 0, averageScore: 0, rubric: { discovery: 0, objectionHandling: 0, nextStep: 0 }, outcomesLogged: 0, medianHoursToOutcome: null },
    ...over,
  });
  const report = (team: Report['team'], days = 7): Report => ({
    period: { from: '', to: '', timeZone: 'UTC', days, previous: { from: '', to: '' }, trendDays: 1, generatedAt: '' }, team, users: [],
  });

  it('writes counts in the singular for one, the average with one decimal and its change as `rolplay report` does', () => {
    expect(weekSummaryLine(report(figures()))).toBe('Team, last 7 days: 1 meeting · 1 plan sent · 1 role-play, avg 6.3 (±0.0) · 0 outcomes missing');
    expect(weekSummaryLine(report(figures({ change: { ...figures().change, averageScore: -1.26 } })))).toContain('avg 6.3 (-1.3)');
    expect(weekSummaryLine(report(figures({ change: { ...figures().change, averageScore: null } })))).toContain('1 role-play, avg 6.3 ·');
  });

  it('leaves the average out without role-plays', () => {
    const idle = report(figures({ roleplays: 0, averageScore: null, meetings: 0, plansSent: 0 }));
    expect(weekSummaryLine(idle)).toBe('Team, last 7 days: 0 meetings · 0 plans sent · 0 role-plays · 0 outcomes missing');
    expect(weekSummaryLine(idle, undefined, true)).toBe('7 days: 0 meetings · 0 plans · 0 role-plays · 0 missing');
  });
});
