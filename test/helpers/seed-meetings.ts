import type { Store } from '../../src/store/open-store.js';
import type { MeetingStatus } from '../../src/store/database.js';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const HOUR = 3_600_000;

/**
 * A small, varied store: two salespeople, a planned meeting with a conversation and a failed
 * job, a completed one with a HubSpot note, a cancelled one and an unmatched invitation.
 */
export async function seedMeetings(store: Store) {
  const sara = (await store.users.upsert({ email: 'sara@company.com', name: 'Sara Lopez', phone: '+14155552671', timezone: 'UTC' }, T0)).user;
  const tom = (await store.users.upsert({ email: 'tom@company.com', name: 'Tom Reed', phone: '+14155552672', timezone: 'UTC' }, T0)).user;
  const ana = await store.clients.upsert({ email: 'ana@acme.com', name: 'Ana Ruiz', company: 'Acme', hubspotContactId: '501' }, T0);
  const bob = await store.clients.upsert({ email: 'bob@globex.com', name: 'Bob Stone', company: 'Globex' }, T0);

  const meeting = async (n: number, title: string, userId: number | null, organizer: string, status: MeetingStatus, extra: Record<string, unknown> = {}) =>
    store.meetings.insert({
      event_id: `evt-${n}`, source: 'graph', title, start_at: T0 + n * 24 * HOUR, end_at: T0 + n * 24 * HOUR + HOUR,
      organizer_email: organizer, user_id: userId, status, created_at: T0, updated_at: T0, ...extra,
    });
  const planned = await meeting(1, 'Acme renewal', sara.id, 'sara@company.com', 'plan_sent', {
    plan_json: JSON.stringify({ summary: 'Renewal with a price objection coming', steps: ['Open with usage numbers', 'Offer a two-year term', 'Agree next steps'], objections: [{ objection: 'Too expensive', answer: 'Show the ROI' }], questions: ['Who signs?'] }),
  });
  const done = await meeting(2, 'Globex intro', tom.id, 'tom@company.com', 'completed', { hubspot_note_id: '9001', plan_json: '{"summary":"Intro"}', reminded_at: T0 + 2 * 24 * HOUR + HOUR + 60_000 });
  const cancelled = await meeting(3, 'Cancelled demo', sara.id, 'sara@company.com', 'cancelled');
  const unmatched = await meeting(4, 'Stranger call', null, 'stranger@elsewhere.com', 'scheduled');
  await store.clients.setForMeeting(planned.id, [ana.id]);
  await store.clients.setForMeeting(done.id, [bob.id, ana.id]);
  await store.clients.setForMeeting(unmatched.id, [bob.id]);

  await store.messages.record({ direction: 'out', userId: sara.id, meetingId: planned.id, phone: sara.phone, body: 'Your plan for Acme renewal', twilioSid: 'SMout1', kind: 'plan' }, T0 + 1000);
  await store.messages.record({ direction: 'in', userId: sara.id, meetingId: planned.id, phone: sara.phone, body: 'What if they ask for a discount?', twilioSid: 'SMin1', kind: 'inbound' }, T0 + 2000);
  const { job } = await store.jobs.enqueue({ kind: 'send_whatsapp', lane: 'whatsapp', runAt: T0, dedupeKey: `reply:${planned.id}:1`, meetingId: planned.id, maxAttempts: 3 }, T0);
  await store.jobs.claimById(job.id, { owner: 'seed', now: T0, leaseMs: 1000 });
  await store.jobs.fail(job.id, 'seed', 'Twilio error 63016: outside the 24-hour window', T0 + 3000);
  return { users: { sara, tom }, clients: { ana, bob }, meetings: { planned, done, cancelled, unmatched } };
}
