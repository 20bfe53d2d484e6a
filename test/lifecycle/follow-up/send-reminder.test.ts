import { afterEach, describe, expect, it } from 'vitest';
import { scheduleFollowUp } from '../../../src/lifecycle/follow-up/schedule-follow-up.js';
import { tryHandleOutcome } from '../../../src/lifecycle/follow-up/record-outcome.js';
import { backends } from '../../helpers/stores.js';
import { followUpWorld, HOUR, MIN, T0, type World } from '../../helpers/follow-up-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe.each(backends)('reminder and nudge (%s)', (backend) => {
  it('schedules one reminder per meeting at end + delay, moves it with the meeting, and skips unmatched meetings', async () => {
    w = await followUpWorld({ backend });
    const m = await w.meeting({ start: T0 + HOUR, minutes: 30 });
    expect(await scheduleFollowUp(w.services, m)).toBe('scheduled');
    expect(await scheduleFollowUp(w.services, m)).toBe('unchanged');
    const job = (await w.t.store.jobs.byDedupeKey(`send_reminder:${m.id}`))!;
    expect(job).toMatchObject({ kind: 'send_reminder', meeting_id: m.id, status: 'pending' });
    expect(Number(job.run_at)).toBe(T0 + HOUR + 31 * MIN);
    const moved = (await w.t.store.meetings.update(m.id, { end_at: T0 + 2 * HOUR }))!;
    expect(await scheduleFollowUp(w.services, moved)).toBe('moved');
    expect(Number((await w.t.store.jobs.byDedupeKey(`send_reminder:${m.id}`))!.run_at)).toBe(T0 + 2 * HOUR + MIN);
    const stranger = (await w.t.store.meetings.update((await w.meeting()).id, { user_id: null }))!;
    expect(await scheduleFollowUp(w.services, stranger)).toBe('skipped');
  });

  it('sends the reminder at end + 1 minute to the second, once, then one nudge after nudgeAfterHours', async () => {
    w = await followUpWorld({ backend });
    const m = await w.meeting({ title: 'Quarterly review', start: T0 + HOUR, minutes: 30, clients: [{ email: 'ann@acme.example', name: 'Ann Lee' }] });
    await scheduleFollowUp(w.services, m);
    w.runner.start();
    await w.advance(HOUR + 31 * MIN - 1000);
    expect(w.sent).toEqual([]);
    await w.advance(1000);
    expect(w.sent).toEqual([{ at: T0 + HOUR + 31 * MIN, to: '+14155550100', kind: 'reminder', meetingId: m.id, body: 'How did Quarterly review with Ann Lee go? Reply with the outcome and next steps, or just Done.', template: undefined }]);
    expect(await w.reload(m.id)).toMatchObject({ status: 'reminder_sent', reminded_at: T0 + HOUR + 31 * MIN });
    await w.advance(4 * HOUR - 1000);
    expect(w.sent).toHaveLength(1);
    await w.advance(1000);
    expect(w.sent.map((s) => s.kind)).toEqual(['reminder', 'nudge']);
    expect(w.sent[1]!.body).toMatch(/^Still keen to hear how Quarterly review with Ann Lee went/);
    await w.advance(24 * HOUR);
    expect(w.sent).toHaveLength(2);
    expect((await w.reload(m.id)).status).toBe('reminder_sent');
  });

  it('sends no nudge once the salesperson answered, and none for a cancelled meeting', async () => {
    w = await followUpWorld({ backend, hubspot: false });
    const answered = await w.meeting({ start: T0 + HOUR });
    const cancelled = await w.meeting({ start: T0 + HOUR, title: 'Other' });
    await scheduleFollowUp(w.services, answered);
    await scheduleFollowUp(w.services, cancelled);
    w.runner.start();
    await w.advance(HOUR + 31 * MIN);
    expect(w.sent.map((s) => s.meetingId).sort()).toEqual([answered.id, cancelled.id].sort());
    await w.t.store.meetings.transition(cancelled.id, ['reminder_sent'], 'cancelled', w.clock.now());
    await w.t.store.jobs.cancelForMeeting(cancelled.id, w.clock.now());
    expect(await tryHandleOutcome(w.services, w.user, 'Went fine', 'SMreply1', { repliedToSid: undefined })).toBe(true);
    await w.advance(5 * HOUR);
    expect(w.sent.filter((s) => s.kind === 'nudge')).toEqual([]);
    expect((await w.reload(answered.id)).status).toBe('completed');
  });

  it('uses the approved reminder template when one is configured', async () => {
    w = await followUpWorld({ backend, config: { twilio: { templates: { reminder: 'HX' + '0'.repeat(32) } } } });
    const m = await w.meeting({ title: 'Line\nbreak   title', clients: [{ email: 'ann@acme.example', name: 'Ann Lee' }] });
    await scheduleFollowUp(w.services, m);
    w.runner.start();
    await w.advance(2 * HOUR);
    expect(w.sent[0]).toMatchObject({ body: undefined, template: { contentSid: 'HX' + '0'.repeat(32), variables: { 1: 'Line break   title', 2: 'Ann Lee' } } });
  });

  it('after a day of downtime sends each late reminder once, worded for the delay, one question at a time', async () => {
    w = await followUpWorld({ backend, hubspot: false });
    const first = await w.meeting({ title: 'Acme review', start: T0 + HOUR, minutes: 60 });
    const second = await w.meeting({ title: 'Globex demo', start: T0 + 3 * HOUR, minutes: 60, clients: [{ email: 'bo@globex.example', name: 'Bo' }] });
    await scheduleFollowUp(w.services, first);
    await scheduleFollowUp(w.services, second);
    // The daemon was down: it starts a day later.
    await w.clock.advance(24 * HOUR);
    w.runner.start();
    await w.advance();
    expect(w.sent).toHaveLength(1);
    expect(w.sent[0]!.body).toBe('Acme review with Ann Lee ended Mon 5 Jan, 12:00, and I couldn\'t ask you then. How did it go? Reply with the outcome and next steps, or just Done.');
    expect(await w.reload(second.id)).toMatchObject({ status: 'reminder_sent', reminded_at: null });
    await w.advance(HOUR);
    expect(w.sent).toHaveLength(1);
    // Answering the first brings the second question, in the same message.
    expect(await tryHandleOutcome(w.services, w.user, 'Done', 'SMa')).toBe(true);
    await w.advance();
    expect(w.sent).toHaveLength(2);
    expect(w.sent[1]!.body).toMatch(/^Saved the outcome of Acme review: marked as done\. HubSpot is not set up/);
    expect(w.sent[1]!.body).toMatch(/\n\nNext: Globex demo with Bo ended Mon 5 Jan, 14:00, and I couldn't ask you then\./);
    expect(await tryHandleOutcome(w.services, w.user, 'They will sign next week', 'SMb')).toBe(true);
    await w.advance();
    expect(await w.reload(second.id)).toMatchObject({ status: 'completed', last_reply: 'They will sign next week' });
  });
});
