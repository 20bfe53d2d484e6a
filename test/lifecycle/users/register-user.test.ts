import { afterEach, describe, expect, it } from 'vitest';
import { calendarWorld, HOUR, MIN, type CalendarWorld } from '../../helpers/calendar-world.js';
import { backends } from '../../helpers/stores.js';
import { registerUser } from '../../../src/lifecycle/users/register-user.js';
import type { MeetingRow, MeetingStatus } from '../../../src/store/database.js';

/**
 * A salesperson who invites the bot before registering: the ingest records the invitation as
 * unmatched, and `rolplay user add` (registerUser) picks it up in the same command.
 */
let w: CalendarWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const STRANGER = 'stranger@elsewhere.example';
const add = (world: CalendarWorld, email = 'Stranger@Elsewhere.example') =>
  registerUser(world.services, { name: 'Stan Ranger', email, phone: '+14155550177', welcome: false });

/** A meeting as the ingest records an unmatched one, written straight to the store. */
async function unmatched(world: CalendarWorld, n: number, extra: { startInHours?: number; status?: MeetingStatus; organizer?: string; source?: 'graph' | 'import'; series?: string } = {}): Promise<MeetingRow> {
  const now = world.clock.now();
  const start = now + (extra.startInHours ?? 24) * HOUR;
  return world.t.store.meetings.insert({
    event_id: `evt-${n}`, source: extra.source ?? 'graph', title: `Call ${n}`, start_at: start, end_at: start + HOUR,
    organizer_email: extra.organizer ?? STRANGER, user_id: null, status: extra.status ?? 'scheduled',
    series_master_id: extra.series ?? null, occurrence_kind: extra.series ? 'occurrence' : null, created_at: now, updated_at: now,
  });
}

describe.each(backends)('registerUser picks up unmatched invitations (%s)', (backend) => {
  it('an invitation recorded as unmatched at ingest is coached as soon as its organizer registers', async () => {
    w = await calendarWorld({ backend, config: { microsoft: { acceptInvites: true }, schedule: { reminderDelayMinutes: 2 } } });
    const id = w.invite({ organizer: 'Stranger@Elsewhere.example' });
    expect((await w.ingest.poll()).counts).toMatchObject({ unmatched: 1 });
    const recorded = await w.meeting(id);
    const [alert] = await w.jobs(recorded.id, 'admin_alert');
    expect(JSON.parse(alert!.payload).text).toContain(`\`rolplay user add --email ${STRANGER} --name ... --phone ...\`, which picks this meeting up at once`);

    const result = await add(w);
    expect(result.pickedUp.map((m) => m.id)).toEqual([recorded.id]);
    const meeting = await w.meeting(id);
    expect(meeting.user_id).toBe(result.user.id);
    expect(meeting.status).toBe('scheduled');
    const [plan] = await w.jobs(meeting.id, 'prepare_plan');
    expect(plan).toMatchObject({ status: 'pending', run_at: w.clock.now() });
    const [reminder] = await w.jobs(meeting.id, 'send_reminder');
    expect(reminder).toMatchObject({ status: 'pending', run_at: meeting.end_at + 2 * MIN });
    expect(await w.jobs(meeting.id, 'accept_invite')).toHaveLength(1);
    // The alert had not gone out yet: it would now be wrong.
    expect((await w.jobs(meeting.id, 'admin_alert'))[0]!.status).toBe('cancelled');
    // The matched meeting is then an ordinary one to the ingest: a quiet poll changes nothing.
    expect((await w.ingest.poll()).counts).toMatchObject({ new: 0, unmatched: 0 });
    expect(await w.jobs(meeting.id, 'prepare_plan')).toHaveLength(1);
  });

  it('leaves ended, cancelled and other organizers\' meetings alone, and takes one already under way', async () => {
    w = await calendarWorld({ backend });
    const future = await unmatched(w, 1);
    const running = await unmatched(w, 2, { startInHours: -0.5 });
    const ended = await unmatched(w, 3, { startInHours: -2 });
    const cancelled = await unmatched(w, 4, { status: 'cancelled' });
    const other = await unmatched(w, 5, { organizer: 'someone@else.example' });
    const imported = await unmatched(w, 6, { source: 'import', organizer: 'STRANGER@elsewhere.example' });

    const result = await add(w);
    expect(result.pickedUp.map((m) => m.id).sort()).toEqual([future.id, running.id, imported.id].sort());
    for (const m of [ended, cancelled, other]) {
      expect((await w.t.store.meetings.byId(m.id))!.user_id).toBeNull();
      expect(await w.jobs(m.id)).toEqual([]);
    }
    for (const m of [future, running, imported]) {
      expect((await w.t.store.meetings.byId(m.id))!.user_id).toBe(result.user.id);
      expect((await w.jobs(m.id)).map((j) => j.kind).sort()).toEqual(['prepare_plan', 'send_reminder']);
    }
  });

  it('queues nothing twice when run again, and picks up occurrences of a series one by one', async () => {
    w = await calendarWorld({ backend });
    const occurrences = [await unmatched(w, 1, { series: 'AAMk-master' }), await unmatched(w, 2, { series: 'AAMk-master', startInHours: 24 * 8 })];
    const first = await add(w);
    expect(first.pickedUp).toHaveLength(2);
    const jobsAfterFirst = await w.t.store.jobs.list();
    expect(jobsAfterFirst).toHaveLength(4);

    const again = await add(w, 'stranger@elsewhere.example');
    expect(again.created).toBe(false);
    expect(again.pickedUp).toEqual([]);
    expect(await w.t.store.jobs.list()).toEqual(jobsAfterFirst);
    for (const o of occurrences) expect((await w.t.store.meetings.byId(o.id))!.user_id).toBe(first.user.id);
  });

  it('does not take a meeting another process matched between the read and the write', async () => {
    w = await calendarWorld({ backend });
    const meeting = await unmatched(w, 1);
    const other = (await w.t.store.users.upsert({ email: 'someone@else.example', name: 'Other', phone: '+14155550178', timezone: 'UTC' }, w.clock.now())).user;
    expect(await w.t.store.meetings.claimUnmatched(meeting.id, other.id, w.clock.now())).toBeDefined();
    expect(await w.t.store.meetings.claimUnmatched(meeting.id, other.id + 1, w.clock.now())).toBeUndefined();
    expect((await add(w)).pickedUp).toEqual([]);
    expect((await w.t.store.meetings.byId(meeting.id))!.user_id).toBe(other.id);
  });
});
