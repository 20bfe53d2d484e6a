import type { Store } from '../../src/store/open-store.js';
import type { MeetingStatus } from '../../src/store/database.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/**
 * Two weeks of coaching for `rolplay report`, relative to the period start P0 (the previous
 * period starts at Q0 = P0 - 7 days): Sara is busy in both weeks, Tom only in this one, Ida is
 * idle. The figures each test expects are derived in test/cli/report-command.test.ts.
 */
export async function seedReport(store: Store, p0: number, now: number) {
  const q0 = p0 - 7 * DAY;
  const user = async (email: string, name: string, phone: string) => (await store.users.upsert({ email, name, phone, timezone: 'UTC' }, q0)).user;
  const sara = await user('sara@company.com', 'Sara Lopez', '+14155552671');
  const tom = await user('tom@company.com', 'Tom Reed', '+14155552672');
  const ida = await user('ida@company.com', 'Ida Idle', '+14155552673');
  let n = 0;
  const meeting = async (userId: number | null, title: string, start: number, status: MeetingStatus, extra: { completedAfterHours?: number; note?: string; plan?: boolean; reply?: string } = {}) => {
    const end = start + HOUR;
    const row = await store.meetings.insert({
      event_id: `evt-${++n}`, source: 'graph', title, start_at: start, end_at: end, organizer_email: 'x@company.com', user_id: userId, status,
      completed_at: extra.completedAfterHours === undefined ? null : end + extra.completedAfterHours * HOUR,
      hubspot_note_id: extra.note ?? null, last_reply: extra.reply ?? null, created_at: q0, updated_at: q0,
    });
    if (extra.plan) await store.messages.record({ direction: 'out', userId, meetingId: row.id, phone: '+14155552671', body: 'Your plan', twilioSid: `SMplan${row.id}`, kind: 'plan' }, start - DAY);
    return row;
  };
  const roleplay = async (userId: number, at: number, score: number, discovery: number, objectionHandling: number, nextStep: number) => {
    await store.roleplays.record({ meetingId: null, userId, difficulty: 'normal', focus: null, startedAt: at - 600_000, scoredAt: at, score, discovery, objectionHandling, nextStep, summary: 's', tips: ['a', 'b'], transcript: [] });
  };

  // This period.
  const m1 = await meeting(sara.id, 'Acme renewal', p0 + DAY + 10 * HOUR, 'completed', { completedAfterHours: 3, note: 'n1', plan: true });
  const m2 = await meeting(sara.id, 'Globex intro', p0 + 2 * DAY + 10 * HOUR, 'completed', { completedAfterHours: 5, note: 'n2', plan: true });
  const m3 = await meeting(sara.id, 'Initech demo', p0 + 3 * DAY + 10 * HOUR, 'reminder_sent', { plan: true });
  await meeting(sara.id, 'Cancelled call', p0 + DAY + 15 * HOUR, 'cancelled', { plan: true });
  await meeting(sara.id, 'Just ended', now - 3 * HOUR, 'reminder_sent');
  await meeting(sara.id, 'Logged without HubSpot', p0 + 4 * DAY, 'completed', { completedAfterHours: 1 });
  const t1 = await meeting(tom.id, 'Umbrella pilot', p0 + 2 * DAY + 9 * HOUR, 'reminder_sent', { plan: true, reply: 'Done, they signed' });
  await meeting(null, 'Stranger call', p0 + 2 * DAY, 'scheduled', { plan: true });
  await roleplay(sara.id, p0 + DAY + 12 * HOUR, 6, 5, 7, 4);
  await roleplay(sara.id, p0 + DAY + 18 * HOUR, 8, 7, 9, 6);
  await roleplay(sara.id, p0 + 3 * DAY + 12 * HOUR, 9, 6, 8, 8);
  await roleplay(tom.id, p0 + 5 * DAY, 4, 3, 5, 4);

  // The previous period: an outcome logged this period for a meeting of the previous one (59 h).
  await meeting(sara.id, 'Hooli follow-up', q0 + 5 * DAY, 'completed', { completedAfterHours: 59, note: 'n6' });
  await meeting(sara.id, 'Soylent kickoff', q0 + DAY, 'completed', { completedAfterHours: 1, note: 'n8', plan: true });
  await roleplay(sara.id, q0 + 2 * DAY, 5, 4, 6, 5);
  // Before both periods: not counted anywhere.
  await meeting(sara.id, 'Old meeting', q0 - DAY, 'completed', { completedAfterHours: 2, note: 'n9', plan: true });
  await roleplay(sara.id, q0 - DAY, 1, 1, 1, 1);
  return { users: { sara, tom, ida }, meetings: { m1, m2, m3, t1 } };
}
