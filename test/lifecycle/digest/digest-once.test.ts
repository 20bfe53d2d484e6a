import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/support/clock.js';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { advanceJobs } from '../../helpers/advance-jobs.js';
import { DAY, HOUR, seedReport } from '../../helpers/seed-report.js';
import { backends, freshStore, type TestStore } from '../../helpers/stores.js';
import { digestDaemon, MONDAY_8, type DigestDaemon, type SentDigest } from '../../helpers/digest-world.js';
import { DIGEST_CATCH_UP_MS } from '../../../src/lifecycle/digest/digest-schedule.js';

let t: TestStore | undefined;
let second: Store | undefined;
const daemons: DigestDaemon[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop();
  await second?.close();
  await t?.dispose();
  second = undefined;
  t = undefined;
});

/** Another daemon's connection to the same data. */
function secondConnection(test: TestStore): Promise<Store> {
  return test.sqlitePath ? openStore({ sqlitePath: test.sqlitePath }) : openStore({ databaseUrl: test.databaseUrl });
}

function started(d: DigestDaemon): DigestDaemon {
  daemons.push(d);
  return d;
}

const digestsTo = (sent: SentDigest[], phone: string) => sent.filter((s) => s.to === phone).length;

describe.each(backends)('weekly digest, once per salesperson per week (%s)', (backend) => {
  it('two daemons both firing, then a restart, send each digest once; the next week has its own', async () => {
    t = await freshStore(backend);
    second = await secondConnection(t);
    const { users } = await seedReport(t.store, MONDAY_8 - 7 * DAY, MONDAY_8);
    const clock = new FakeClock(MONDAY_8 - HOUR);
    const sent: SentDigest[] = [];
    const a = started(digestDaemon(t.store, clock, sent));
    const b = started(digestDaemon(second, clock, sent));
    await a.start();
    await b.start();
    await advanceJobs(clock, t.store, HOUR);
    expect(sent).toEqual([]);

    await Promise.all([a.fire(), b.fire()]);
    await advanceJobs(clock, t.store);
    expect(digestsTo(sent, users.sara.phone)).toBe(1);
    expect(digestsTo(sent, users.tom.phone)).toBe(1);
    expect(digestsTo(sent, '+14155550199')).toBe(1);
    expect(sent).toHaveLength(3);

    // Daemon a restarts an hour later: its start-up catch-up finds this week's digests already made.
    await a.stop();
    daemons.splice(daemons.indexOf(a), 1);
    await clock.advance(HOUR);
    const restarted = started(digestDaemon(t.store, clock, sent));
    await restarted.start();
    await b.fire();
    await advanceJobs(clock, t.store);
    expect(sent).toHaveLength(3);
    expect((await t.store.jobs.list({})).filter((j) => j.kind === 'send_digests').map((j) => j.dedupe_key)).toEqual(['digest:2026-W49']);

    // The next week: Tom practised once, so only he (and the admin) hear about it.
    await t.store.roleplays.record({ meetingId: null, userId: users.tom.id, difficulty: 'normal', focus: null, startedAt: MONDAY_8 + 2 * DAY, scoredAt: MONDAY_8 + 2 * DAY + 600_000, score: 6, discovery: 5, objectionHandling: 7, nextStep: 6, summary: 's', tips: [], transcript: [] });
    await advanceJobs(clock, t.store, MONDAY_8 + 7 * DAY - clock.now());
    await Promise.all([restarted.fire(), b.fire()]);
    await advanceJobs(clock, t.store);
    expect(sent).toHaveLength(5);
    expect(digestsTo(sent, users.tom.phone)).toBe(2);
    expect(sent.filter((s) => s.to === users.tom.phone).at(-1)!.body).toMatch(/^\*Your week with rolplay\* \(the 7 days to Mon 7 Dec\)\n• Meetings: 0, 0 prepared with a plan\n• Role-plays: 1, average 6\/10, up 2 on the week before\n/);
  });

  it(`catches up a digest missed while no daemon ran, within ${DIGEST_CATCH_UP_MS / HOUR} hours of its time`, async () => {
    t = await freshStore(backend);
    const { users } = await seedReport(t.store, MONDAY_8 - 7 * DAY, MONDAY_8);
    const clock = new FakeClock(MONDAY_8 + 11 * HOUR);
    const sent: SentDigest[] = [];
    await started(digestDaemon(t.store, clock, sent)).start();
    await advanceJobs(clock, t.store);
    expect(digestsTo(sent, users.sara.phone)).toBe(1);
    // It reports the week that ended at 08:00, not the 7 days before the late start.
    expect(sent.find((s) => s.to === users.sara.phone)!.body).toContain('Role-plays: 3, average 7.7/10');
  });

  it('skips a week whose digest time passed more than the catch-up window before the daemon started', async () => {
    t = await freshStore(backend);
    await seedReport(t.store, MONDAY_8 - 7 * DAY, MONDAY_8);
    const clock = new FakeClock(MONDAY_8 + DIGEST_CATCH_UP_MS + HOUR);
    const sent: SentDigest[] = [];
    await started(digestDaemon(t.store, clock, sent)).start();
    await advanceJobs(clock, t.store);
    expect(sent).toEqual([]);
    expect(await t.store.jobs.list({})).toEqual([]);
  });
});
