import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../../helpers/stores.js';
import { seedMeetings, T0 } from '../../helpers/seed-meetings.js';
import { listMeetings } from '../../../src/lifecycle/reading/list-meetings.js';
import { meetingDetails } from '../../../src/lifecycle/reading/meeting-details.js';
import { NotFoundError } from '../../../src/support/errors.js';

describe.each(backends)('meetings read model on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('lists meetings soonest first with their clients, salesperson and markers', async () => {
    t = await freshStore(backend);
    const seeded = await seedMeetings(t.store);
    const all = await listMeetings(t.store);
    expect(all.map((m) => m.title)).toEqual(['Acme renewal', 'Globex intro', 'Cancelled demo', 'Stranger call']);
    const [planned, done, , unmatched] = all;
    expect(planned).toMatchObject({ id: seeded.meetings.planned.id, status: 'plan_sent', user: { email: 'sara@company.com', name: 'Sara Lopez' }, markers: { plan: true, reminder: false, note: false } });
    expect(planned!.clients).toEqual([{ name: 'Ana Ruiz', email: 'ana@acme.com', company: 'Acme' }]);
    expect(done).toMatchObject({ markers: { plan: true, reminder: true, note: true }, hubspotNoteId: '9001' });
    expect(done!.clients.map((c) => c.name)).toEqual(['Ana Ruiz', 'Bob Stone']);
    expect(unmatched).toMatchObject({ user: null, organizerEmail: 'stranger@elsewhere.com' });
  });

  it('filters by status, user, time window, unmatched and limit', async () => {
    t = await freshStore(backend);
    await seedMeetings(t.store);
    const titles = async (f: Parameters<typeof listMeetings>[1]) => (await listMeetings(t.store, f)).map((m) => m.title);
    expect(await titles({ status: ['completed', 'cancelled'] })).toEqual(['Globex intro', 'Cancelled demo']);
    expect(await titles({ userEmail: 'SARA@company.com' })).toEqual(['Acme renewal', 'Cancelled demo']);
    expect(await titles({ from: T0 + 36 * 3_600_000, to: T0 + 80 * 3_600_000 })).toEqual(['Globex intro', 'Cancelled demo']);
    expect(await titles({ unmatched: true })).toEqual(['Stranger call']);
    expect(await titles({ limit: 1 })).toEqual(['Acme renewal']);
    // Each filtered list carries its own meetings' clients.
    const clients = async (f: Parameters<typeof listMeetings>[1]) => (await listMeetings(t.store, f)).map((m) => [m.title, m.clients.map((c) => c.name)]);
    expect(await clients({ status: ['completed'] })).toEqual([['Globex intro', ['Ana Ruiz', 'Bob Stone']]]);
    expect(await clients({ limit: 1 })).toEqual([['Acme renewal', ['Ana Ruiz']]]);
  });

  it('gathers plan, conversation, jobs with their last error, and clients for one meeting', async () => {
    t = await freshStore(backend);
    const { meetings } = await seedMeetings(t.store);
    const d = await meetingDetails(t.store, meetings.planned.id);
    expect(d.plan).toMatchObject({ summary: 'Renewal with a price objection coming' });
    expect(d.messages.map((m) => [m.direction, m.body])).toEqual([['out', 'Your plan for Acme renewal'], ['in', 'What if they ask for a discount?']]);
    expect(d.jobs).toEqual([expect.objectContaining({ kind: 'send_whatsapp', status: 'failed', lastError: 'Twilio error 63016: outside the 24-hour window' })]);
    expect(d.clientsDetail).toEqual([expect.objectContaining({ email: 'ana@acme.com', hubspotContactId: '501' })]);
    expect(d.user).toMatchObject({ phone: '+14155552671' });
  });

  it('carries each meeting\'s latest practice score in the list, and every practice of a meeting in its details', async () => {
    t = await freshStore(backend);
    const { users, meetings } = await seedMeetings(t.store);
    const practice = (startedAt: number, score: number, extra: Record<string, unknown> = {}) => t.store.roleplays.record({
      meetingId: meetings.planned.id, userId: users.sara.id, difficulty: 'hard', focus: 'discovery', startedAt, scoredAt: startedAt + 600_000,
      score, discovery: score - 1, objectionHandling: score + 1, nextStep: score, summary: `Practice scored ${score}`, tips: ['Ask about budget', 'Propose a date'],
      transcript: [{ from: 'bot', text: 'Why should we renew?' }, { from: 'salesperson', text: 'Because usage doubled.' }], ...extra,
    });
    // Recorded out of order: the details list them as they were scored.
    await practice(T0 + 7_200_000, 8, { focus: null, difficulty: 'normal' });
    await practice(T0, 5);
    await t.store.meetings.update(meetings.planned.id, { roleplay_score: 8 });
    const list = await listMeetings(t.store);
    expect(list.map((m) => [m.title, m.score])).toEqual([['Acme renewal', 8], ['Globex intro', null], ['Cancelled demo', null], ['Stranger call', null]]);
    const d = await meetingDetails(t.store, meetings.planned.id);
    expect(d.score).toBe(8);
    expect(d.roleplays).toEqual([
      {
        id: expect.any(Number), startedAt: T0, scoredAt: T0 + 600_000, difficulty: 'hard', focus: 'discovery', score: 5,
        rubric: { discovery: 4, objectionHandling: 6, nextStep: 5 }, summary: 'Practice scored 5', tips: ['Ask about budget', 'Propose a date'],
        transcript: [{ from: 'bot', text: 'Why should we renew?' }, { from: 'salesperson', text: 'Because usage doubled.' }],
      },
      expect.objectContaining({ startedAt: T0 + 7_200_000, score: 8, focus: null, difficulty: 'normal' }),
    ]);
    expect((await meetingDetails(t.store, meetings.done.id)).roleplays).toEqual([]);
  });

  it('says which id is unknown', async () => {
    t = await freshStore(backend);
    await expect(meetingDetails(t.store, 999)).rejects.toThrow(NotFoundError);
    await expect(meetingDetails(t.store, 999)).rejects.toThrow('no meeting with id 999');
  });
});
