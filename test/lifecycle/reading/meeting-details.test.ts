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

  it('says which id is unknown', async () => {
    t = await freshStore(backend);
    await expect(meetingDetails(t.store, 999)).rejects.toThrow(NotFoundError);
    await expect(meetingDetails(t.store, 999)).rejects.toThrow('no meeting with id 999');
  });
});
