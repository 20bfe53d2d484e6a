import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe.each(backends)('roleplays repository (%s)', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('keeps one row per practice: scoring the same practice again replaces its marks; lists the latest first', async () => {
    t = await freshStore(backend);
    const { user } = await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam', phone: '+14155550100', timezone: 'UTC' }, T0);
    const practice = (startedAt: number, score: number) => ({
      meetingId: null, userId: user.id, difficulty: 'hard', focus: 'discovery', startedAt, scoredAt: startedAt + 60_000,
      score, discovery: score, objectionHandling: score, nextStep: score, summary: 'ok', tips: ['a', 'b'], transcript: [{ from: 'salesperson', text: 'hi' }],
    });
    await t.store.roleplays.record(practice(T0, 4));
    await t.store.roleplays.record(practice(T0 + 3_600_000, 6));
    const again = await t.store.roleplays.record(practice(T0, 5));
    expect(again).toMatchObject({ started_at: T0, score: 5, focus: 'discovery', difficulty: 'hard' });
    const recent = await t.store.roleplays.recentForUser(user.id, 10);
    expect(recent.map((r) => [r.started_at, r.score])).toEqual([[T0 + 3_600_000, 6], [T0, 5]]);
    expect((await t.store.roleplays.recentForUser(user.id, 10, T0 + 3_600_000)).map((r) => r.score)).toEqual([5]);
    // A removed salesperson's practices stay, with no owner: the report leaves them out.
    await t.store.users.remove('sam@example.com');
    const rows = await t.store.db.selectFrom('roleplays').select(['user_id']).execute();
    expect(rows).toEqual([{ user_id: null }, { user_id: null }]);
  });
});
