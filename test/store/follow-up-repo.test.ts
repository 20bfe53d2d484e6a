import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 5, 10);
let t: TestStore | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe.each(backends)('FollowUpRepo (%s)', (backend) => {
  async function meeting(userId: number, n: number, status: 'plan_sent' | 'reminder_sent' | 'completed', extra: { reminded_at?: number; completed_at?: number } = {}) {
    return t!.store.meetings.insert({
      event_id: `e${n}`, source: 'graph', title: `M${n}`, start_at: T0 + n * 3_600_000, end_at: T0 + n * 3_600_000 + 1_800_000,
      organizer_email: 'sam@seller.example', user_id: userId, status, created_at: T0, updated_at: T0, ...extra,
    });
  }

  it('lists meetings awaiting an outcome, most recently reminded first, and takes one reply per meeting', async () => {
    t = await freshStore(backend);
    const { user } = await t.store.users.upsert({ email: 'sam@seller.example', name: 'Sam', phone: '+14155550100', timezone: 'UTC' }, T0);
    const older = await meeting(user.id, 1, 'reminder_sent', { reminded_at: T0 + 1000 });
    const newer = await meeting(user.id, 2, 'reminder_sent', { reminded_at: T0 + 2000 });
    await meeting(user.id, 3, 'plan_sent');
    expect((await t.store.followUp.awaitingOutcome(user.id)).map((m) => m.id)).toEqual([newer.id, older.id]);
    expect(await t.store.followUp.claimReply(newer.id, 'Done', T0)).toBe(true);
    expect(await t.store.followUp.claimReply(newer.id, 'Done again', T0)).toBe(false);
    expect((await t.store.meetings.byId(newer.id))!.last_reply).toBe('Done');
  });

  it('finds the last completed meeting since a time', async () => {
    t = await freshStore(backend);
    const { user } = await t.store.users.upsert({ email: 'sam@seller.example', name: 'Sam', phone: '+14155550100', timezone: 'UTC' }, T0);
    await meeting(user.id, 1, 'completed', { completed_at: T0 - 10 * 86_400_000 });
    const recent = await meeting(user.id, 2, 'completed', { completed_at: T0 });
    expect((await t.store.followUp.lastCompleted(user.id, T0 - 86_400_000))?.id).toBe(recent.id);
    expect(await t.store.followUp.lastCompleted(user.id, T0 + 1)).toBeUndefined();
  });
});
