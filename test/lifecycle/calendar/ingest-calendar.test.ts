import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/stores.js';
import { BOT, HOUR, MIN, calendarWorlds, snapshotTables } from '../../helpers/calendar-world.js';
import { ProviderError } from '../../../src/support/errors.js';
import { acceptInviteJob } from '../../../src/lifecycle/calendar/accept-invite.js';
import { ACCEPT_INVITE } from '../../../src/lifecycle/jobs/job-kinds.js';
import { readPayload } from '../../../src/lifecycle/jobs/job-payload.js';
import { silentLogger } from '../../../src/support/logger.js';
import type { JobContext } from '../../../src/lifecycle/jobs/job-contract.js';
import { createGraphCalendar } from '../../../src/clients/graph/graph-calendar.js';
import { createMsalTokenProvider } from '../../../src/clients/graph/msal-token-provider.js';
import { createCalendarIngest } from '../../../src/lifecycle/calendar/ingest-calendar.js';

const open = calendarWorlds();

describe.each(backends)('calendar ingest (%s)', (backend) => {
  it('turns an invitation into a meeting with its clients and a plan job; a quiet poll is one request and writes nothing', async () => {
    const w = await open(backend);
    const user = await w.user();
    const id = w.invite();
    const first = await w.ingest.poll();
    expect(first).toMatchObject({ mode: 'full', counts: { new: 1 }, saved: true });

    const meeting = await w.meeting(id);
    expect(meeting).toMatchObject({ user_id: user.id, status: 'scheduled', title: 'Acme renewal', organizer_email: 'sam.seller@example.com', source: 'graph', start_at: w.clock.now() + 24 * HOUR });
    expect(meeting.ical_uid).toBeTruthy();
    expect(meeting.change_key).toBeTruthy();
    // Not the bot, the organizer, the room, nor the colleague at the internal domain.
    expect(await w.clientEmails(meeting.id)).toEqual(['ana@acme.example', 'bo@acme.example']);
    const [plan] = await w.jobs(meeting.id, 'prepare_plan');
    expect(plan).toMatchObject({ status: 'pending', run_at: w.clock.now(), dedupe_key: `plan:${meeting.id}` });
    expect(await w.jobs(meeting.id, 'send_reminder')).toMatchObject([{ status: 'pending', run_at: meeting.end_at + MIN }]);

    const before = await snapshotTables(w);
    const requests = w.graph.requests.length;
    w.clock.set(w.clock.now() + 30_000);
    const quiet = await w.ingest.poll();
    expect(quiet).toMatchObject({ mode: 'delta', requests: 1, saved: false, counts: { new: 0, changed: 0, skipped: 0 } });
    expect(w.graph.requests.length - requests).toBe(1);
    expect(await snapshotTables(w)).toBe(before);

    // The same event delivered again creates nothing new.
    w.graph.updateEvent(id, { body: 'agenda v2' });
    await w.ingest.poll();
    expect(await w.t.store.meetings.list()).toHaveLength(1);
    expect(await w.jobs(meeting.id, 'prepare_plan')).toHaveLength(1);
  });

  it('records unmatched organizers and tells the admin once per event; matches case-insensitively once registered', async () => {
    const w = await open(backend);
    const id = w.invite({ organizer: 'Stranger@Elsewhere.example' });
    expect((await w.ingest.poll()).counts).toMatchObject({ unmatched: 1, new: 0 });
    const meeting = await w.meeting(id);
    expect(meeting).toMatchObject({ user_id: null, organizer_email: 'stranger@elsewhere.example', status: 'scheduled' });
    expect(await w.jobs(meeting.id, 'prepare_plan')).toEqual([]);
    const alerts = await w.jobs(meeting.id, 'admin_alert');
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]!.payload)).toMatchObject({ key: `unmatched:${id}`, text: expect.stringContaining('rolplay user add') });

    w.graph.updateEvent(id, { subject: 'Acme renewal (v2)' });
    expect((await w.ingest.poll()).counts).toMatchObject({ changed: 1 });
    expect(await w.jobs(meeting.id, 'admin_alert')).toHaveLength(1);

    // The organizer registers; the next change of the event starts their coaching.
    await w.user('stranger@elsewhere.example');
    w.graph.updateEvent(id, { subject: 'Acme renewal (v3)' });
    await w.ingest.poll();
    expect((await w.meeting(id)).user_id).not.toBeNull();
    expect(await w.jobs(meeting.id, 'prepare_plan')).toHaveLength(1);
  });

  it('moves pending jobs with the meeting and stores new titles and attendees', async () => {
    const w = await open(backend, { config: { schedule: { planLeadHours: 2, reminderDelayMinutes: 5 } } });
    await w.user();
    const id = w.invite({ inHours: 48 });
    await w.ingest.poll();
    const meeting = await w.meeting(id);
    expect((await w.jobs(meeting.id, 'prepare_plan'))[0]!.run_at).toBe(meeting.start_at - 2 * HOUR);

    const newStart = meeting.start_at + 24 * HOUR;
    w.graph.moveEvent(id, newStart, newStart + 90 * MIN);
    w.graph.updateEvent(id, { subject: 'Acme renewal, moved', attendees: [BOT, 'ana@acme.example', 'cy@globex.example'] });
    w.clock.set(w.clock.now() + MIN);
    expect((await w.ingest.poll()).counts).toMatchObject({ changed: 1 });
    const moved = await w.meeting(id);
    expect(moved).toMatchObject({ start_at: newStart, end_at: newStart + 90 * MIN, title: 'Acme renewal, moved' });
    expect((await w.jobs(meeting.id, 'prepare_plan'))[0]).toMatchObject({ status: 'pending', run_at: newStart - 2 * HOUR });
    expect((await w.jobs(meeting.id, 'send_reminder'))[0]).toMatchObject({ status: 'pending', run_at: newStart + 90 * MIN + 5 * MIN });
    expect(await w.clientEmails(meeting.id)).toEqual(['ana@acme.example', 'cy@globex.example']);
  });

  it('cancels a cancelled meeting and its jobs, tells the salesperson when the plan was sent, and restores an event that comes back', async () => {
    const w = await open(backend);
    const user = await w.user();
    const [quiet, told] = [w.invite({ subject: 'Quiet one' }), w.invite({ subject: 'Planned one', inHours: 30 })];
    await w.ingest.poll();
    const planned = await w.meeting(told);
    // The plan of the second meeting went out already.
    await w.t.store.meetings.transition(planned.id, ['scheduled'], 'plan_sent', w.clock.now());
    await w.t.store.jobs.enqueue({ kind: 'send_whatsapp', lane: 'whatsapp', payload: { kind: 'plan', to: user.phone }, runAt: w.clock.now(), dedupeKey: `plan-send:${planned.id}`, meetingId: planned.id, maxAttempts: 3 }, w.clock.now());
    const [send] = await w.t.store.jobs.claimDue({ owner: 'test', now: w.clock.now(), leaseMs: 60_000, limit: 10, lane: 'whatsapp' });
    await w.t.store.jobs.complete(send!.id, 'test', { sids: ['SM1'] }, w.clock.now());

    w.graph.cancelEvent(quiet);
    w.graph.deleteEvent(told);
    w.clock.set(w.clock.now() + MIN);
    expect((await w.ingest.poll()).counts).toMatchObject({ cancelled: 2 });

    const a = await w.meeting(quiet);
    expect(a).toMatchObject({ status: 'cancelled', cancelled_from: 'scheduled', cancelled_at: w.clock.now() });
    expect((await w.jobs(a.id)).map((j) => `${j.kind}:${j.status}`).sort()).toEqual(['prepare_plan:cancelled', 'send_reminder:cancelled']);
    const b = await w.meeting(told);
    expect(b).toMatchObject({ status: 'cancelled', cancelled_from: 'plan_sent' });
    const notices = (await w.jobs(b.id, 'send_whatsapp')).filter((j) => j.status === 'pending');
    expect(notices).toHaveLength(1);
    expect(JSON.parse(notices[0]!.payload)).toMatchObject({ to: user.phone, kind: 'cancellation', body: expect.stringContaining('Planned one') });
    expect((await w.jobs(a.id, 'send_whatsapp'))).toEqual([]);

    // The deleted event comes back: restored where it was, not duplicated.
    w.graph.restoreEvent(told);
    expect((await w.ingest.poll()).counts).toMatchObject({ restored: 1 });
    expect(await w.meeting(told)).toMatchObject({ id: b.id, status: 'plan_sent', cancelled_from: null });
    expect((await w.jobs(b.id, 'send_reminder'))[0]).toMatchObject({ status: 'pending' });
    expect(await w.t.store.meetings.list()).toHaveLength(2);
  });

  it('does not cancel a meeting that only moved out of the window (@removed, but the event still exists), and asks Graph before the page\'s transaction, so other writes never wait on Graph', async () => {
    const w = await open(backend);
    await w.user();
    const id = w.invite();
    await w.ingest.poll();
    const later = w.clock.now() + 40 * 24 * HOUR;
    w.graph.moveEvent(id, later, later + HOUR);
    // While Graph is asked, someone else writes (a webhook's job): it must not wait for the poll.
    const written: string[] = [];
    const calendar = {
      ...w.services.calendar,
      async getEvent(eventId: string) {
        const write = w.t.store.users.upsert({ email: 'kim@example.com', name: 'Kim', phone: '+14155550177', timezone: 'UTC' }, w.clock.now());
        const stalled = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a write waited for the calendar poll\'s transaction')), 2000));
        written.push((await Promise.race([write, stalled])).user.email);
        return w.services.calendar.getEvent(eventId);
      },
    };
    const ingest = createCalendarIngest({ ...w.services, calendar });
    expect((await ingest.poll()).counts).toMatchObject({ changed: 1, cancelled: 0 });
    expect(await w.meeting(id)).toMatchObject({ status: 'scheduled', start_at: later });
    expect(written).toEqual(['kim@example.com']);
  });

  it('resyncs after 410 without duplicates, cancelling what was deleted meanwhile, and re-bases the window on schedule', async () => {
    const w = await open(backend, { config: { microsoft: { resyncHours: 24 } } });
    await w.user();
    const [keep, gone] = [w.invite(), w.invite({ inHours: 30 })];
    await w.ingest.poll();
    w.graph.expireSyncState();
    w.graph.deleteEvent(gone);
    const added = w.invite({ inHours: 50, subject: 'New one' });
    const summary = await w.ingest.poll();
    expect(summary).toMatchObject({ mode: 'full', resynced: true, counts: { new: 1, cancelled: 1 } });
    expect(await w.t.store.meetings.list()).toHaveLength(3);
    expect((await w.meeting(keep)).status).toBe('scheduled');
    expect((await w.meeting(gone)).status).toBe('cancelled');
    expect((await w.meeting(added)).title).toBe('New one');
    expect(await w.jobs((await w.meeting(keep)).id, 'prepare_plan')).toHaveLength(1);
    expect(w.logs.some((l) => l.msg === 'Graph forgot the delta link: re-reading the calendar window')).toBe(true);

    w.clock.set(w.clock.now() + 23 * HOUR);
    expect((await w.ingest.poll()).mode).toBe('delta');
    w.clock.set(w.clock.now() + 2 * HOUR);
    expect(await w.ingest.poll()).toMatchObject({ mode: 'full', resynced: false });
    expect(await w.t.store.meetings.list()).toHaveLength(3);
  });

  it('keeps each occurrence of a series as its own meeting', async () => {
    const w = await open(backend);
    await w.user();
    const start = w.clock.now() + 24 * HOUR;
    const { masterId, occurrenceIds } = w.graph.addSeries({ subject: 'Weekly sync', organizer: 'sam.seller@example.com', attendees: [BOT, 'ana@acme.example'], start, end: start + HOUR, occurrences: 3, everyDays: 7 });
    expect((await w.ingest.poll()).counts).toMatchObject({ new: 2, unchanged: 0 }); // the third is past the 14-day window
    const rows = await Promise.all(occurrenceIds.slice(0, 2).map((id) => w.meeting(id)));
    expect(rows.map((r) => [r.title, r.series_master_id, r.occurrence_kind])).toEqual([['Weekly sync', masterId, 'occurrence'], ['Weekly sync', masterId, 'occurrence']]);
    expect(rows[1]!.start_at - rows[0]!.start_at).toBe(7 * 24 * HOUR);
  });

  it('skips odd, all-day, declined and ended events with their id and reason, and stores the rest', async () => {
    const w = await open(backend);
    await w.user();
    const good = w.invite({ subject: 'Good one', body: `<p>${'x'.repeat(200_000)}</p>` });
    const noOrganizer = w.invite({ extra: { organizer: undefined } });
    const noEnd = w.invite({ extra: { end: undefined } });
    const oddZone = w.invite({ extra: { start: { dateTime: '2026-01-06T10:00:00', timeZone: 'Customized Time Zone' } } });
    const allDay = w.invite({ isAllDay: true });
    const declined = w.invite({ botResponse: 'declined' });
    const soon = w.invite({ inHours: 1, subject: 'Soon over' });
    const unicode = w.invite({ subject: 'Reunión con Müller 会议', attendees: [BOT, { email: 'zoë@firma.example', name: 'Zoë Ünal' }] });
    expect((await w.ingest.poll()).counts).toMatchObject({ new: 3, skipped: 5 });
    expect((await w.meeting(good)).title).toBe('Good one');
    expect((await w.meeting(unicode)).title).toBe('Reunión con Müller 会议');
    expect(await w.clientEmails((await w.meeting(unicode)).id)).toEqual(['zoë@firma.example']);
    const skipped = (event: string) => w.logs.find((l) => l.event === event && l.msg === 'calendar event skipped');
    expect(skipped(noOrganizer)).toMatchObject({ reason: 'no organizer address' });
    expect(skipped(noEnd)).toMatchObject({ reason: expect.stringContaining('end') });
    expect(skipped(oddZone)).toMatchObject({ reason: expect.stringContaining('unknown time zone') });
    expect(skipped(allDay)).toMatchObject({ reason: 'all-day event', level: 20 });
    expect(skipped(declined)).toMatchObject({ reason: 'declined by the bot mailbox' });
    // Changes to a meeting that is over are not coached any more.
    w.clock.set(w.clock.now() + 3 * HOUR);
    w.graph.updateEvent(soon, { subject: 'Soon over (notes)' });
    expect((await w.ingest.poll()).counts).toMatchObject({ skipped: 1, changed: 0 });
    expect(skipped(soon)).toMatchObject({ reason: 'already ended' });
    expect((await w.meeting(soon)).title).toBe('Soon over');
  });

  it('accepts each invitation once when acceptInvites is on; the accept is not a change', async () => {
    const w = await open(backend, { config: { microsoft: { acceptInvites: true } } });
    await w.user();
    const id = w.invite();
    await w.ingest.poll();
    const meeting = await w.meeting(id);
    const [job] = await w.jobs(meeting.id, 'accept_invite');
    expect(job).toMatchObject({ dedupe_key: `accept_invite:${id}`, status: 'pending' });
    const handler = acceptInviteJob.handler(w.services)!;
    const ctx = { job: job!, payload: readPayload(ACCEPT_INVITE, job!), attempt: 1, logger: silentLogger(), clock: w.clock, progress: undefined, saveProgress: async () => true } satisfies JobContext<unknown>;
    expect(await handler(ctx)).toEqual({ accepted: true });
    expect(w.graph.accepted).toEqual([id]);
    const summary = await w.ingest.poll();
    expect(summary.counts).toMatchObject({ changed: 0, unchanged: 1 });
    expect(await w.jobs(meeting.id, 'accept_invite')).toHaveLength(1);
  });

  it('keeps a renewed delta link of a quiet poll in memory and checkpoints it later', async () => {
    const w = await open(backend, { graph: { rotateDeltaTokens: true }, ingest: { checkpointMs: 10 * MIN } });
    await w.user();
    w.invite();
    await w.ingest.poll();
    const before = await snapshotTables(w);
    w.clock.set(w.clock.now() + MIN);
    expect(await w.ingest.poll()).toMatchObject({ saved: false, requests: 1 });
    expect(await snapshotTables(w)).toBe(before);
    w.clock.set(w.clock.now() + 11 * MIN);
    expect(await w.ingest.poll()).toMatchObject({ saved: true, requests: 1 });
  });

  it('surfaces throttling with Retry-After and saves nothing of a failed poll', async () => {
    const w = await open(backend);
    await w.user();
    w.invite();
    w.graph.throttleNext(1, 90);
    const error = await w.ingest.poll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 90_000 });
    expect(await w.t.store.syncState.get('graph.calendar')).toBeUndefined();
  });

  it('a poll that fails between pages keeps what it applied and the next poll completes without duplicates', async () => {
    const w = await open(backend);
    await w.user();
    const ids = [w.invite({ inHours: 10 }), w.invite({ inHours: 20 }), w.invite({ inHours: 30 })];
    const tokens = createMsalTokenProvider({ tenantId: w.tokens.tenantId, clientId: w.tokens.clientId, clientSecret: w.tokens.clientSecret, authorityHost: w.tokens.url, scope: 'https://graph.microsoft.com/.default', logger: silentLogger() });
    const calendar = createGraphCalendar({ botEmail: BOT, graphBaseUrl: w.graph.url, tokens, pageSize: 2, logger: silentLogger() });
    const ingest = createCalendarIngest({ ...w.services, calendar });
    const realFollow = calendar.followLink.bind(calendar);
    let failures = 1;
    calendar.followLink = async (link) => {
      if (failures > 0 && link.includes('$skiptoken')) {
        failures--;
        throw new ProviderError('Graph answered 500', { provider: 'graph', retryable: true, status: 500 });
      }
      return realFollow(link);
    };
    await expect(ingest.poll()).rejects.toThrow('500');
    expect(await w.t.store.meetings.list()).toHaveLength(2);
    expect(await w.t.store.syncState.get('graph.calendar')).toBeUndefined();
    expect((await ingest.poll()).counts).toMatchObject({ new: 1, unchanged: 2 });
    expect((await w.t.store.meetings.list()).map((m) => m.event_id).sort()).toEqual([...ids].sort());
    expect(await w.t.store.jobs.list({ kind: 'prepare_plan' })).toHaveLength(3);
  });
});
