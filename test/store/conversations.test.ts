import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';

describe.each(backends)('conversation state (%s)', (backend) => {
  let t: TestStore;
  let userId: number;
  let meetingId: number;
  beforeEach(async () => {
    t = await freshStore(backend);
    userId = (await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam', phone: '+14155550100', timezone: 'UTC' }, 1)).user.id;
    meetingId = (await t.store.meetings.insert({
      event_id: 'e1', source: 'graph', title: 'Acme', start_at: 10, end_at: 20, organizer_email: 'sam@example.com',
      user_id: userId, status: 'scheduled', created_at: 1, updated_at: 1,
    })).id;
  });
  afterEach(async () => t.dispose());

  it('pins a meeting, runs a role-play and stops it exactly once', async () => {
    expect(await t.store.conversations.get(userId)).toBeUndefined();
    await t.store.conversations.selectMeeting(userId, meetingId, 2);
    expect(await t.store.conversations.get(userId)).toMatchObject({ meeting_id: meetingId, mode: 'coach' });
    await t.store.conversations.startRoleplay(userId, meetingId, 'hard', 3);
    expect(await t.store.conversations.get(userId)).toMatchObject({ meeting_id: meetingId, mode: 'roleplay', difficulty: 'hard', roleplay_started_at: 3 });
    const [a, b] = await Promise.all([t.store.conversations.stopRoleplay(userId, 4), t.store.conversations.stopRoleplay(userId, 4)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((a ?? b)!.roleplay_meeting_id).toBe(meetingId);
    expect(await t.store.conversations.get(userId)).toMatchObject({ mode: 'coach', meeting_id: meetingId });
  });

  it('holds deferred texts once per key and delivers each once', async () => {
    await t.store.deferredMessages.add({ userId, meetingId, kind: 'plan', body: 'full plan', dedupeKey: 'plan:1' }, 5);
    await t.store.deferredMessages.add({ userId, meetingId, kind: 'plan', body: 'full plan', dedupeKey: 'plan:1' }, 6);
    const pending = await t.store.deferredMessages.pending(userId);
    expect(pending.map((p) => p.body)).toEqual(['full plan']);
    expect(await t.store.deferredMessages.markDelivered(pending[0]!.id, 7)).toBe(true);
    expect(await t.store.deferredMessages.markDelivered(pending[0]!.id, 8)).toBe(false);
    expect(await t.store.deferredMessages.pending(userId)).toEqual([]);
  });
});
