import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { scheduleFollowUp } from '../../../src/lifecycle/follow-up/schedule-follow-up.js';
import { completeMeeting } from '../../../src/lifecycle/follow-up/complete-meeting.js';
import { loadFollowUp } from '../../../src/lifecycle/follow-up/follow-up-context.js';
import { doneOutcome } from '../../../src/domain/outcome.js';
import { tryHandleOutcome } from '../../../src/lifecycle/follow-up/record-outcome.js';
import { backends } from '../../helpers/stores.js';
import { followUpWorld, HOUR, T0, type World } from '../../helpers/follow-up-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/**
 * A daemon killed between two writes of one step: the crash test once found a meeting stuck at
 * reminder_sent because the reply had been claimed but its 'record_outcome' job never queued.
 * A database trigger refuses the insert of one job kind, which is what a kill between the two
 * writes looks like from the store: the first write must not survive without the second.
 */
async function refuseJobs(world: World, kind: string): Promise<() => Promise<void>> {
  const { db, dialect } = world.t.store;
  if (dialect === 'sqlite') {
    await sql.raw(`CREATE TRIGGER refuse_job BEFORE INSERT ON jobs WHEN NEW.kind = '${kind}' BEGIN SELECT RAISE(ABORT, 'killed here'); END`).execute(db);
    return async () => void (await sql.raw('DROP TRIGGER refuse_job').execute(db));
  }
  await sql.raw(`CREATE FUNCTION refuse_job() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'killed here'; END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`CREATE TRIGGER refuse_job BEFORE INSERT ON jobs FOR EACH ROW WHEN (NEW.kind = '${kind}') EXECUTE FUNCTION refuse_job()`).execute(db);
  return async () => void (await sql.raw('DROP TRIGGER refuse_job ON jobs').execute(db));
}

describe.each(backends)('follow-up steps that write twice (%s)', (backend) => {
  it('a reply claimed for a meeting whose job could not be queued is unclaimed, so the redelivery records it', async () => {
    w = await followUpWorld({ backend, hubspot: false });
    const m = await w.meeting({ start: T0 + HOUR });
    await scheduleFollowUp(w.services, m);
    w.runner.start();
    await w.advance(2 * HOUR);
    expect(await w.reload(m.id)).toMatchObject({ status: 'reminder_sent', last_reply: null });
    const allow = await refuseJobs(w, 'record_outcome');
    await expect(tryHandleOutcome(w.services, w.user, 'Done - pilot agreed', 'SM1')).rejects.toThrow(/killed here/);
    expect(await w.reload(m.id)).toMatchObject({ status: 'reminder_sent', last_reply: null });
    await allow();
    // Twilio's redelivery (or the inbound job's retry) carries the same message.
    expect(await tryHandleOutcome(w.services, w.user, 'Done - pilot agreed', 'SM1')).toBe(true);
    await w.advance();
    expect(await w.reload(m.id)).toMatchObject({ status: 'completed', last_reply: 'Done - pilot agreed' });
    expect(w.sent.at(-1)!.body).toMatch(/^Saved the outcome of Quarterly review/);
  });

  it('a held-back question taken for a confirmation that could not be queued is asked by the retry', async () => {
    w = await followUpWorld({ backend, hubspot: false });
    const first = await w.meeting({ title: 'Acme review', start: T0 + HOUR, minutes: 60 });
    const second = await w.meeting({ title: 'Globex demo', start: T0 + 3 * HOUR, minutes: 60 });
    await scheduleFollowUp(w.services, first);
    await scheduleFollowUp(w.services, second);
    await w.clock.advance(24 * HOUR);
    w.runner.start();
    await w.advance();
    expect(await w.reload(second.id)).toMatchObject({ status: 'reminder_sent', reminded_at: null });
    // The confirmation of the first answer (which asks the held-back second question) cannot be queued once.
    const fu = (await loadFollowUp(w.services, first.id))!;
    const outcome = doneOutcome('Done');
    const allow = await refuseJobs(w, 'send_whatsapp');
    await expect(completeMeeting(w.services, fu, outcome, { loggedFor: [], tasks: 0 })).rejects.toThrow(/killed here/);
    expect(await w.reload(second.id)).toMatchObject({ reminded_at: null });
    await allow();
    // The job's retry (after its lease ran out) does it again.
    expect(await completeMeeting(w.services, fu, outcome, { loggedFor: [], tasks: 0 })).toBe(true);
    await w.advance();
    expect(await w.reload(first.id)).toMatchObject({ status: 'completed' });
    expect(w.sent.at(-1)!.body).toMatch(/\n\nNext: Globex demo with Ann Lee ended/);
    expect((await w.reload(second.id)).reminded_at).not.toBeNull();
  });
});
