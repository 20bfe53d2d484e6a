import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/stores.js';
import { BOT, HOUR, MIN, calendarWorlds, snapshotTables, type CalendarWorld } from '../../helpers/calendar-world.js';
import { ProviderError } from '../../../src/support/errors.js';
import { createCalendarIngest } from '../../../src/lifecycle/calendar/ingest-calendar.js';
import { acceptInviteJob } from '../../../src/lifecycle/calendar/accept-invite.js';
import { ACCEPT_INVITE } from '../../../src/lifecycle/jobs/job-kinds.js';
import { readPayload } from '../../../src/lifecycle/jobs/job-payload.js';
import { registerUser } from '../../../src/lifecycle/users/register-user.js';
import { SERIES_PLAN_WAIT_MS } from '../../../src/lifecycle/coaching/prepare-plan.js';
import { silentLogger } from '../../../src/support/logger.js';
import type { JobContext } from '../../../src/lifecycle/jobs/job-contract.js';

const open = calendarWorlds();

const DAY = 24 * HOUR;
const CLIENTS = [BOT, { email: 'ana@acme.example', name: 'Ana Núñez' }, 'kim@example.com', { email: 'room-1@example.com', type: 'resource' as const }];

/** A weekly series of `occurrences` from Sam, the first one a day from now. */
function weekly(w: CalendarWorld, occurrences = 3, extra: Record<string, unknown> = {}) {
  const start = w.clock.now() + DAY;
  return w.graph.addSeries({ subject: 'Acme weekly', body: 'Pipeline review with Acme', organizer: 'Sam.Seller@Example.com', attendees: CLIENTS, start, end: start + HOUR, occurrences, everyDays: 7, ...extra });
}

async function seriesMeetings(w: CalendarWorld, masterId: string) {
  return w.t.store.db.selectFrom('meetings').selectAll().where('series_master_id', '=', masterId).orderBy('start_at').execute();
}

describe.each(backends)('recurring meetings (%s)', (backend) => {
  it('makes each occurrence in the window a meeting of its own, filled in from the master on the same page, with a plan and a reminder each', async () => {
    const w = await open(backend, { config: { microsoft: { lookaheadDays: 21 } } });
    const user = await w.user();
    const { masterId, occurrenceIds } = weekly(w, 4);
    const first = await w.ingest.poll();
    expect(first).toMatchObject({ requests: 1, counts: { new: 3, skipped: 0 } }); // the fourth is past the window
    const rows = await seriesMeetings(w, masterId);
    expect(rows.map((r) => r.event_id)).toEqual(occurrenceIds.slice(0, 3));
    for (const [i, row] of rows.entries()) {
      expect(row).toMatchObject({ user_id: user.id, title: 'Acme weekly', body_preview: 'Pipeline review with Acme', organizer_email: 'sam.seller@example.com', status: 'scheduled', occurrence_kind: 'occurrence', start_at: w.clock.now() + DAY + i * 7 * DAY });
      expect(await w.clientEmails(row.id)).toEqual(['ana@acme.example']);
      expect(await w.jobs(row.id, 'prepare_plan')).toHaveLength(1);
      expect(await w.jobs(row.id, 'send_reminder')).toMatchObject([{ run_at: row.end_at + MIN }]);
    }
    // A quiet poll: one request, nothing written.
    const before = await snapshotTables(w);
    expect(await w.ingest.poll()).toMatchObject({ requests: 1, counts: { new: 0, changed: 0 } });
    expect(await snapshotTables(w)).toBe(before);
  });

  it('moves only the moved occurrence, cancels only the cancelled one, and lets a master edit reach future plain occurrences but not exceptions or past ones', async () => {
    const w = await open(backend, { config: { microsoft: { lookaheadDays: 28 } }, graph: { occurrenceRemovals: 'removed' } });
    await w.user();
    const { masterId, occurrenceIds: [a, b, c, d] } = weekly(w, 4);
    await w.ingest.poll();
    const [ma, mb, mc, md] = await seriesMeetings(w, masterId);

    w.graph.moveEvent(b!, mb!.start_at + 2 * HOUR, mb!.end_at + 2 * HOUR);
    expect((await w.ingest.poll()).counts).toMatchObject({ changed: 1 });
    expect(await w.meeting(b!)).toMatchObject({ occurrence_kind: 'exception', start_at: mb!.start_at + 2 * HOUR, title: 'Acme weekly' });
    expect(await w.jobs(mb!.id, 'send_reminder')).toMatchObject([{ run_at: mb!.end_at + 2 * HOUR + MIN }]);
    for (const m of [ma!, mc!, md!]) expect(await w.jobs(m.id, 'send_reminder')).toMatchObject([{ run_at: m.end_at + MIN }]);

    w.graph.cancelOccurrence(c!);
    expect((await w.ingest.poll()).counts).toMatchObject({ cancelled: 1 });
    expect((await seriesMeetings(w, masterId)).map((m) => m.status)).toEqual(['scheduled', 'scheduled', 'cancelled', 'scheduled']);
    expect(await w.jobs(mc!.id, 'send_reminder')).toMatchObject([{ status: 'cancelled' }]);

    // The first occurrence is over by the time the series is edited.
    w.clock.set(ma!.end_at + 5 * MIN);
    w.graph.updateSeries(masterId, { subject: 'Acme weekly (new format)', attendees: [BOT, 'ana@acme.example', 'raj@acme.example'] });
    const edited = await w.ingest.poll();
    expect(edited).toMatchObject({ requests: 1 });
    expect(edited.counts.changed).toBe(1); // d only: a is past, b is an exception, c is cancelled
    expect((await w.meeting(d!)).title).toBe('Acme weekly (new format)');
    expect(await w.clientEmails(md!.id)).toEqual(['ana@acme.example', 'raj@acme.example']);
    expect((await w.meeting(a!)).title).toBe('Acme weekly');
    expect((await w.meeting(b!)).title).toBe('Acme weekly');
    expect((await w.meeting(c!)).status).toBe('cancelled');
  });

  it('catches an occurrence cancelled without an @removed entry at the next full read', async () => {
    const w = await open(backend);
    await w.user();
    const { masterId, occurrenceIds } = weekly(w, 2);
    await w.ingest.poll();
    w.graph.cancelOccurrence(occurrenceIds[1]!);
    expect((await w.ingest.poll()).counts.cancelled).toBe(0); // Graph said nothing
    w.clock.set(w.clock.now() + DAY + 30 * MIN); // past the daily re-read
    expect(await w.ingest.poll()).toMatchObject({ mode: 'full', counts: { cancelled: 1 } });
    expect((await seriesMeetings(w, masterId)).map((m) => m.status)).toEqual(['scheduled', 'cancelled']);
  });

  it('cancels every future occurrence when the series is cancelled or deleted', async () => {
    const w = await open(backend);
    await w.user();
    const one = weekly(w, 2);
    const two = w.graph.addSeries({ subject: 'Globex standup', organizer: 'sam.seller@example.com', attendees: [BOT, 'cy@globex.example'], start: w.clock.now() + 2 * DAY, end: w.clock.now() + 2 * DAY + HOUR, occurrences: 2, everyDays: 3 });
    await w.ingest.poll();
    w.graph.cancelSeries(one.masterId);
    w.graph.deleteEvent(two.masterId);
    expect((await w.ingest.poll()).counts.cancelled).toBe(4);
    expect((await seriesMeetings(w, one.masterId)).map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
    expect((await seriesMeetings(w, two.masterId)).map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('reads a master that is not on the page once per series, keeps it, and costs nothing more on later polls (52 weeks, 500 occurrences)', async () => {
    const w = await open(backend, { graph: { listMasters: false } });
    await w.user();
    const year = weekly(w, 52);
    const busy = w.graph.addSeries({ subject: 'Support rota', organizer: 'sam.seller@example.com', attendees: [BOT, 'ops@globex.example'], start: w.clock.now() + HOUR, end: w.clock.now() + HOUR + 10 * MIN, occurrences: 500, everyDays: 1 / 48 });
    const first = await w.ingest.poll();
    // Two delta pages (a series is never split, so the 500 fill the first) and one read per master.
    expect(first.requests).toBe(4);
    expect(first.counts.new).toBe(2 + 500);
    expect(await w.t.store.series.get(year.masterId)).toBeDefined();
    expect(await w.t.store.series.get(busy.masterId)).toBeDefined();
    expect(await w.ingest.poll()).toMatchObject({ requests: 1, counts: { new: 0 } });
    // A full re-read (the stored link is lost) finds the masters in the store: pages only.
    await w.t.store.syncState.set('graph.calendar', '{}', w.clock.now());
    expect(await w.ingest.poll()).toMatchObject({ mode: 'full', requests: 2, counts: { new: 0 } });
  });

  it('skips the occurrences of a master it cannot read, stores nothing half-filled, and tries again at the next poll', async () => {
    const w = await open(backend, { graph: { listMasters: false } });
    await w.user();
    const { masterId } = weekly(w, 2);
    let refuse = true;
    const calendar = { ...w.services.calendar, async getEvent(id: string) {
      if (refuse && id === masterId) throw new ProviderError('Microsoft Graph: access denied (403 ErrorAccessDenied)', { provider: 'graph', retryable: false, status: 403 });
      return w.services.calendar.getEvent(id);
    } };
    const ingest = createCalendarIngest({ ...w.services, calendar });
    expect(await ingest.poll()).toMatchObject({ counts: { new: 0, skipped: 2 }, saved: false });
    expect(await seriesMeetings(w, masterId)).toEqual([]);
    expect(w.logs.filter((l) => String(l.msg).includes('series master could not be read'))).toHaveLength(1);
    refuse = false;
    expect(await ingest.poll()).toMatchObject({ counts: { new: 2 }, saved: true });
  });

  it('handles the reference-page shape too: full occurrences and no master', async () => {
    const w = await open(backend, { graph: { occurrenceShape: 'full' } });
    await w.user();
    const { masterId } = weekly(w, 2);
    expect((await w.ingest.poll()).counts.new).toBe(2);
    w.graph.updateSeries(masterId, { subject: 'Renamed' });
    expect((await w.ingest.poll()).counts.changed).toBe(2);
    expect((await seriesMeetings(w, masterId)).map((m) => [m.title, m.occurrence_kind])).toEqual([['Renamed', 'occurrence'], ['Renamed', 'occurrence']]);
  });

  it('takes a registered salesperson among the attendees as a colleague, whatever their domain', async () => {
    const w = await open(backend);
    await w.user();
    await w.user('lee@partner.example');
    const id = w.invite({ attendees: [BOT, 'ana@acme.example', 'Lee@Partner.example'] });
    await w.ingest.poll();
    expect(await w.clientEmails((await w.meeting(id)).id)).toEqual(['ana@acme.example']);
  });

  it('lets the plan of a later occurrence wait for the previous one\'s outcome, and sends the plan of the first at once', async () => {
    const w = await open(backend);
    await w.user();
    const { masterId } = weekly(w, 2);
    await w.ingest.poll();
    const [first, second] = await seriesMeetings(w, masterId);
    expect(await w.jobs(first!.id, 'prepare_plan')).toMatchObject([{ run_at: w.clock.now() }]);
    expect(await w.jobs(second!.id, 'prepare_plan')).toMatchObject([{ run_at: first!.end_at + SERIES_PLAN_WAIT_MS }]);
  });

  it('tells the admin once about a series from an unregistered organizer, and accepts a series once', async () => {
    const w = await open(backend, { config: { microsoft: { acceptInvites: true } } });
    const stranger = w.graph.addSeries({ subject: 'Their standup', organizer: 'lee@partner.example', attendees: [BOT], start: w.clock.now() + DAY, end: w.clock.now() + DAY + HOUR, occurrences: 2, everyDays: 1 });
    await w.user();
    const mine = weekly(w, 2);
    expect((await w.ingest.poll()).counts).toMatchObject({ unmatched: 2, new: 2 });
    const jobs = await w.t.store.jobs.list();
    expect(jobs.filter((j) => j.kind === 'admin_alert').map((j) => j.dedupe_key)).toEqual([`admin_alert:unmatched:${stranger.masterId}`]);
    const accepts = jobs.filter((j) => j.kind === 'accept_invite');
    expect(accepts.map((j) => j.dedupe_key)).toEqual([`accept_invite:${mine.masterId}`]);
    const ctx = { job: accepts[0]!, payload: readPayload(ACCEPT_INVITE, accepts[0]!), attempt: 1, logger: silentLogger(), clock: w.clock, progress: undefined, saveProgress: async () => true } satisfies JobContext<unknown>;
    await acceptInviteJob.handler(w.services)!(ctx);
    expect(w.graph.accepted).toEqual([mine.masterId]);
  });

  it('drops a salesperson who registers later from the clients of upcoming meetings', async () => {
    const w = await open(backend);
    await w.user();
    const id = w.invite({ attendees: [BOT, 'ana@acme.example', 'lee@partner.example'] });
    await w.ingest.poll();
    const meeting = await w.meeting(id);
    expect(await w.clientEmails(meeting.id)).toEqual(['ana@acme.example', 'lee@partner.example']);
    await registerUser(w.services, { name: 'Lee Park', email: 'Lee@Partner.example', phone: '+14155559876', welcome: false });
    expect(await w.clientEmails(meeting.id)).toEqual(['ana@acme.example']);
  });
});
