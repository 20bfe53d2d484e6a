import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/support/clock.js';
import { advanceJobs } from '../../helpers/advance-jobs.js';
import { DAY, seedReport } from '../../helpers/seed-report.js';
import { freshStore, type TestStore } from '../../helpers/stores.js';
import { digestDaemon, MONDAY_8, type DigestDaemon, type SentDigest } from '../../helpers/digest-world.js';
import type { ConfigInput } from '../../../src/config/schema.js';

const TEMPLATE = 'HX0123456789abcdef0123456789abcdef';
let t: TestStore | undefined;
let daemon: DigestDaemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  await t?.dispose();
  daemon = undefined;
  t = undefined;
});

/** The seeded two weeks (see seed-report.ts) end at the digest's time: Monday 08:00. */
async function seededWeek(config: ConfigInput = {}) {
  t = await freshStore();
  const seed = await seedReport(t.store, MONDAY_8 - 7 * DAY, MONDAY_8);
  const clock = new FakeClock(MONDAY_8);
  const sent: SentDigest[] = [];
  daemon = digestDaemon(t.store, clock, sent, config);
  await daemon.start();
  await advanceJobs(clock, t.store);
  return { seed, clock, sent, store: t.store };
}

describe('weekly digest', () => {
  it("tells each salesperson their week: meetings prepared, role-plays and trend, the part to work on, outcomes still missing", async () => {
    const { sent, seed } = await seededWeek();
    const sara = sent.find((s) => s.to === seed.users.sara.phone)!;
    expect(sara.kind).toBe('digest');
    expect(sara.body).toBe([
      '*Your week with rolplay* (the 7 days to Mon 30 Nov)',
      '• Meetings: 5, 3 prepared with a plan',
      '• Role-plays: 3, average 7.7/10, up 2.7 on the week before; by day 7 → 9',
      '• Work on: *discovery* (6/10 on average)',
      '• Outcomes logged to HubSpot: 3',
      '• Still missing an outcome:',
      '  - Initech demo, Thu 26 Nov',
      '',
      '_Reply *digest off* to stop these weekly summaries, Sara._',
    ].join('\n'));
    const tom = sent.find((s) => s.to === seed.users.tom.phone)!;
    expect(tom.body).toContain('• Meetings: 1, 1 prepared with a plan');
    expect(tom.body).toContain('• Role-plays: 1, average 4/10\n');
    expect(tom.body).toContain('• Work on: *discovery* (3/10 on average)');
    expect(tom.body).toContain('  - Umbrella pilot, Wed 25 Nov (answered, not in HubSpot yet)');
    expect(tom.body).not.toContain('Outcomes logged');
  });

  it('sends nothing to a salesperson whose week was empty, and the team summary to admin.whatsapp', async () => {
    const { sent, seed } = await seededWeek();
    expect(sent.some((s) => s.to === seed.users.ida.phone)).toBe(false);
    expect(sent.map((s) => s.to).sort()).toEqual([seed.users.sara.phone, seed.users.tom.phone, '+14155550199'].sort());
    const team = sent.find((s) => s.to === '+14155550199')!;
    expect(team.kind).toBe('admin');
    expect(team.body).toBe([
      "*rolplay: the team's week* (the 7 days to Mon 30 Nov)",
      'Meetings: 6, 4 prepared. Role-plays: 4, average 6.8/10, up 1.8 on the week before.',
      'Outcomes logged: 3; still missing: 2.',
      "The team's weakest part: *discovery* (5.3/10).",
      '',
      '• Ida Idle: nothing this week',
      '• Sara Lopez: 5 meetings, 3 role-plays (7.7), 1 missing',
      '• Tom Reed: 1 meeting, 1 role-play (4), 1 missing',
    ].join('\n'));
  });

  it('sends nothing at all for a week with no activity', async () => {
    t = await freshStore();
    await t.store.users.upsert({ email: 'ida@company.com', name: 'Ida Idle', phone: '+14155552673', timezone: 'UTC' }, MONDAY_8 - 30 * DAY);
    const clock = new FakeClock(MONDAY_8);
    const sent: SentDigest[] = [];
    daemon = digestDaemon(t.store, clock, sent);
    await daemon.start();
    await advanceJobs(clock, t.store);
    expect(sent).toEqual([]);
    expect((await t.store.jobs.list({ status: ['done'] })).map((j) => j.kind)).toEqual(['send_digests']);
  });

  it('skips a salesperson who replied "digest off"', async () => {
    t = await freshStore();
    const seed = await seedReport(t.store, MONDAY_8 - 7 * DAY, MONDAY_8);
    await t.store.users.setDigestEnabled(seed.users.sara.id, false, MONDAY_8 - DAY);
    const clock = new FakeClock(MONDAY_8);
    const sent: SentDigest[] = [];
    daemon = digestDaemon(t.store, clock, sent);
    await daemon.start();
    await advanceJobs(clock, t.store);
    expect(sent.map((s) => s.to).sort()).toEqual([seed.users.tom.phone, '+14155550199'].sort());
    // The team summary still counts her week.
    expect(sent.find((s) => s.kind === 'admin')!.body).toContain('Sara Lopez: 5 meetings');
  });

  it('goes out as twilio.templates.digest outside the 24-hour window, holding the full text until they write', async () => {
    const { sent, seed, store } = await seededWeek({ twilio: { templates: { digest: TEMPLATE } } });
    const sara = sent.find((s) => s.to === seed.users.sara.phone)!;
    expect(sara.body).toBeUndefined();
    expect(sara.template).toEqual({ contentSid: TEMPLATE, variables: { 1: 'Sara', 2: '5 meetings (3 prepared); 3 role-plays, average 7.7/10; 1 outcome missing' } });
    const held = await store.deferredMessages.pending(seed.users.sara.id);
    expect(held.map((d) => d.kind)).toEqual(['digest']);
    expect(held[0]!.body).toContain('*Your week with rolplay*');
  });
});
