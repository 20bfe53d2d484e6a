import { afterEach, describe, expect, it } from 'vitest';
import { coachingWorld, HOUR, T0, type CoachingWorld } from '../../helpers/coaching-world.js';
import { backends } from '../../helpers/stores.js';
import { planJobRequest } from '../../../src/lifecycle/coaching/prepare-plan.js';
import type { MeetingRow } from '../../../src/store/database.js';
import type { Outcome } from '../../../src/domain/outcome.js';

const DAY = 24 * HOUR;
const SERIES = 'AAMkAGI2-acme-weekly';

let w: CoachingWorld;
afterEach(async () => w?.close());

/** A meeting of `series` (or a single one), with an outcome recorded when `outcome` is given. */
async function meeting(world: CoachingWorld, start: number, options: { series?: string | null; outcome?: Partial<Outcome>; noteId?: string; userId?: number } = {}): Promise<MeetingRow> {
  const row = await world.meeting({ start, userId: options.userId });
  const series = options.series === undefined ? SERIES : options.series;
  const outcome = options.outcome ? { result: 'Met.', nextSteps: [], sentiment: 'unknown', source: 'model', reply: 'done', ...options.outcome } : undefined;
  return (await world.t.store.meetings.update(row.id, {
    series_master_id: series, occurrence_kind: series ? 'occurrence' : null,
    ...(outcome ? { status: 'completed', outcome_json: JSON.stringify(outcome), completed_at: start + HOUR, hubspot_note_id: options.noteId ?? null } : {}),
  }))!;
}

async function planPrompt(world: CoachingWorld, m: MeetingRow): Promise<string> {
  await world.services.queue.enqueue(planJobRequest(m, world.services.config, world.clock.now()));
  await world.run();
  expect((await world.t.store.meetings.byId(m.id))!.status).toBe('plan_sent');
  return world.gemini.calls.at(-1)!.contents[0]!.text;
}

describe.each(backends)('the plan of a recurring meeting learns from earlier ones (%s)', (backend) => {
  it('includes the latest earlier meeting of the series with an outcome: its date, result, next steps and whether a note was logged', async () => {
    w = await coachingWorld({ backend });
    await meeting(w, T0 - 14 * DAY, { outcome: { result: 'Two weeks ago they wanted a discount.' }, noteId: '9001' });
    await meeting(w, T0 - 7 * DAY, {
      outcome: { result: 'They agreed to a pilot with the logistics team.', sentiment: 'positive', nextSteps: [{ action: 'Send the pilot contract', due: '2026-01-09' }, { action: 'Book the kick-off', due: null }] },
    });
    // No outcome yet (the reminder went unanswered): skipped for the one before it.
    await meeting(w, T0 - 2 * DAY);
    // Not earlier, another series, a single meeting: none of them counts.
    await meeting(w, T0 + 40 * DAY, { outcome: { result: 'A later outcome.' } });
    await meeting(w, T0 - DAY, { series: 'AAMk-other-series', outcome: { result: 'Other series outcome.' } });
    await meeting(w, T0 - DAY, { series: null, outcome: { result: 'Single meeting outcome.' } });
    const current = await meeting(w, T0 + 26 * HOUR);

    const prompt = await planPrompt(w, current);
    expect(prompt).toContain('This meeting is part of a recurring series: build on the outcome and open next steps of the earlier meeting');
    expect(prompt).toContain('Earlier meeting of this recurring series: Mon 29 Dec 2025, 10:00–11:00 (Europe/Madrid); no HubSpot note was logged for it.');
    expect(prompt).toContain([
      '<data name="earlier_meeting_outcome">',
      'result: They agreed to a pilot with the logistics team.',
      'next steps:',
      '- Send the pilot contract (due 2026-01-09)',
      '- Book the kick-off',
      'sentiment: positive',
      '</data>',
    ].join('\n'));
    for (const other of ['Two weeks ago', 'A later outcome', 'Other series outcome', 'Single meeting outcome']) expect(prompt).not.toContain(other);
  });

  it('says when the earlier outcome was logged to HubSpot; nothing is added for a first occurrence or a single meeting', async () => {
    w = await coachingWorld({ backend });
    const first = await meeting(w, T0 + 26 * HOUR);
    expect(await planPrompt(w, first)).not.toContain('recurring series');
    const single = await meeting(w, T0 + 30 * HOUR, { series: null });
    expect(await planPrompt(w, single)).not.toContain('earlier_meeting_outcome');

    await w.t.store.meetings.update(first.id, { status: 'completed', outcome_json: JSON.stringify({ result: 'Demo went well.', nextSteps: [], sentiment: 'unknown', source: 'model', reply: 'x' }), hubspot_note_id: '9002' });
    const second = await meeting(w, T0 + 7 * DAY + 26 * HOUR);
    const prompt = await planPrompt(w, second);
    expect(prompt).toContain('Earlier meeting of this recurring series: Tue 6 Jan 2026, 12:00–13:00 (Europe/Madrid); its outcome was logged as a HubSpot note.');
    expect(prompt).toContain('result: Demo went well.\nnext steps: none recorded\n</data>');
  });

  it('never uses another salesperson\'s meeting of the same series', async () => {
    w = await coachingWorld({ backend });
    const other = (await w.t.store.users.upsert({ email: 'kim@example.com', name: 'Kim Other', phone: '+14155550199', timezone: 'UTC' }, w.clock.now())).user;
    await meeting(w, T0 - 7 * DAY, { userId: other.id, outcome: { result: 'Kim\'s private outcome.' } });
    const current = await meeting(w, T0 + 26 * HOUR);
    expect(await planPrompt(w, current)).not.toContain('Kim');
  });
});
