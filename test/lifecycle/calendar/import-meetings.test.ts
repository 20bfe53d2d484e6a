import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { FakeClock } from '../../../src/support/clock.js';
import { silentLogger } from '../../../src/support/logger.js';
import { createJobQueue } from '../../../src/lifecycle/jobs/job-queue.js';
import { importMeetings } from '../../../src/lifecycle/calendar/import-meetings.js';
import { backends, freshStore, type TestStore } from '../../helpers/stores.js';

const NOW = Date.UTC(2026, 0, 5, 9, 0);

/** The seed's example /outlook-webhook payload. */
const SEED_EXAMPLE = {
  meeting: {
    title: 'Discovery call with Acme',
    start_time: '2026-01-06T15:00:00.0000000',
    end_time: '2026-01-06T15:45:00.0000000',
    organizer: { address: 'Sara@Company.com' },
    body: 'Agenda: pricing',
    location: 'Teams',
    meeting_id: 'AAMkAGI2TG93AAA=',
  },
  client: { name: 'Ana Ruiz', email: 'ana@acme.com', company: 'Acme', hubspot_contact_id: '501' },
};

describe.each(backends)('importMeetings on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  async function setup() {
    t = await freshStore(backend);
    const clock = new FakeClock(NOW);
    const config = configSchema.parse({ bot: { email: 'coach-bot@company.com' }, microsoft: { internalDomains: ['company.com'] } });
    const deps = { config, clock, store: t.store, queue: createJobQueue(t.store, clock, 8), logger: silentLogger() };
    await t.store.users.upsert({ email: 'sara@company.com', name: 'Sara Lopez', phone: '+14155552671', timezone: 'UTC' }, NOW);
    return deps;
  }

  it('imports the seed example through the calendar ingest: matched salesperson, client with company and HubSpot id, plan and reminder jobs', async () => {
    const deps = await setup();
    const [result] = await importMeetings(deps, SEED_EXAMPLE);
    expect(result).toMatchObject({ index: 0, outcome: 'new', title: 'Discovery call with Acme' });
    const meeting = (await t.store.meetings.byId(result!.meetingId!))!;
    expect(meeting).toMatchObject({ event_id: 'import:AAMkAGI2TG93AAA=', source: 'import', status: 'scheduled', start_at: Date.UTC(2026, 0, 6, 15), end_at: Date.UTC(2026, 0, 6, 15, 45), body_preview: 'Agenda: pricing', location: 'Teams' });
    expect(meeting.user_id).not.toBeNull();
    expect(await t.store.clients.forMeeting(meeting.id)).toEqual([expect.objectContaining({ email: 'ana@acme.com', name: 'Ana Ruiz', company: 'Acme', hubspot_contact_id: '501' })]);
    const kinds = (await t.store.jobs.forMeeting(meeting.id)).map((j) => j.kind);
    expect(kinds).toContain('prepare_plan');
    expect(kinds.length).toBeGreaterThanOrEqual(2); // the plan and the post-meeting reminder
  });

  it('importing the same payload again changes nothing', async () => {
    const deps = await setup();
    await importMeetings(deps, SEED_EXAMPLE);
    const jobs = (await t.store.jobs.list()).length;
    const [again] = await importMeetings(deps, SEED_EXAMPLE);
    expect(again!.outcome).toBe('unchanged');
    expect((await t.store.jobs.list()).length).toBe(jobs);
    expect((await t.store.meetings.list()).length).toBe(1);
  });

  it('keeps the good items of an array and says which item and field each bad one fails on', async () => {
    const deps = await setup();
    const results = await importMeetings(deps, [
      SEED_EXAMPLE,
      { ...SEED_EXAMPLE, meeting: { ...SEED_EXAMPLE.meeting, start_time: 'soon' } },
      { ...SEED_EXAMPLE, meeting: { ...SEED_EXAMPLE.meeting, meeting_id: 'other', organizer: { email: 'stranger@elsewhere.com' } } },
      { ...SEED_EXAMPLE, meeting: { ...SEED_EXAMPLE.meeting, meeting_id: 'past', start_time: '2026-01-01T10:00:00Z', end_time: '2026-01-01T11:00:00Z' } },
      { ...SEED_EXAMPLE, meeting: { ...SEED_EXAMPLE.meeting, meeting_id: 'no-email' }, client: { name: 'Bo', hubspot_contact_id: '777' } },
    ]);
    expect(results.map((r) => [r.index, r.outcome])).toEqual([[0, 'new'], [1, 'rejected'], [2, 'unmatched'], [3, 'skipped'], [4, 'new']]);
    expect(results[1]).toMatchObject({ field: 'meeting.start_time', reason: expect.stringContaining('"soon" is not an ISO 8601 time') });
    expect(results[3]!.reason).toBe('already ended');
    expect(await t.store.clients.forMeeting(results[4]!.meetingId!)).toEqual([expect.objectContaining({ email: null, name: 'Bo', hubspot_contact_id: '777' })]);
    await importMeetings(deps, [{ ...SEED_EXAMPLE, meeting: { ...SEED_EXAMPLE.meeting, meeting_id: 'no-email' }, client: { name: 'Bo', hubspot_contact_id: '777' } }]);
    expect(await t.store.clients.forMeeting(results[4]!.meetingId!)).toHaveLength(1);
  });
});
