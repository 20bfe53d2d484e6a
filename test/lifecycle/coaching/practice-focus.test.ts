import { afterEach, describe, expect, it } from 'vitest';
import { coachingWorld, HOUR, type CoachingWorld } from '../../helpers/coaching-world.js';
import { backends } from '../../helpers/stores.js';
import { FOCUS_PERSONA } from '../../../src/domain/practice-focus.js';
import { HELP_TEXT } from '../../../src/lifecycle/whatsapp/conversation-commands.js';

let w: CoachingWorld;
afterEach(async () => w?.close());
const last = () => w.sent[w.sent.length - 1]!;

/** A practice scored earlier, as the roleplays table holds it. */
async function pastPractice(meetingId: number, hoursAgo: number, score: number, discovery: number, objectionHandling: number, nextStep: number) {
  const at = w.clock.now() - hoursAgo * HOUR;
  await w.t.store.roleplays.record({
    meetingId, userId: w.user.id, difficulty: 'normal', focus: null, startedAt: at - 600_000, scoredAt: at,
    score, discovery, objectionHandling, nextStep, summary: 'ok', tips: ['a', 'b'], transcript: [{ from: 'salesperson', text: 'hi' }],
  });
}

describe.each(backends)('role-play persona from the weakest rubric part (%s)', (backend) => {
  it('leans the client on the weakest part of recent practices, records the practice and compares its score with the last three', async () => {
    w = await coachingWorld({ backend });
    const meeting = await w.meeting();
    // Next step is the weakest part lately (4 on average over the last three).
    await pastPractice(meeting.id, 30, 5, 7, 6, 4);
    await pastPractice(meeting.id, 20, 6, 7, 7, 5);
    await pastPractice(meeting.id, 10, 7, 8, 6, 3);

    await w.inbound('roleplay');
    const opening = w.gemini.calls.at(-1)!;
    expect(opening.system).toContain(FOCUS_PERSONA.nextStep);
    expect(opening.system).not.toContain(FOCUS_PERSONA.discovery);
    expect(last().body).toContain('This client tests your next step, your weakest part lately (4/10 over your last 3 practices).');

    await w.inbound('Hi Ann, what would make this renewal a success for you?');
    expect(w.gemini.calls.at(-1)!.system).toContain(FOCUS_PERSONA.nextStep);

    w.gemini.script({ json: { score: 8, discovery: 8, objectionHandling: 3, nextStep: 10, tips: ['Ask why now.', 'Propose a date.'], summary: 'Good call. Firmer close next time.' } });
    await w.inbound('stop');
    expect(last().kind).toBe('roleplay_score');
    expect(last().body).toContain('*Practice score: 8/10*');
    expect(last().body).toContain('Up from a 6 average over your last 3 practices. This one trained your next step: 10/10.');

    const rows = await w.t.store.roleplays.forMeeting(meeting.id);
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatchObject({ user_id: w.user.id, score: 8, discovery: 8, objection_handling: 3, next_step: 10, focus: 'nextStep', difficulty: 'normal', scored_at: w.clock.now() });
    expect(JSON.parse(rows[3]!.transcript_json)).toContainEqual({ from: 'salesperson', text: 'Hi Ann, what would make this renewal a success for you?' });
    expect((await w.t.store.meetings.byId(meeting.id))!.roleplay_score).toBe(8);

    // The new practice moves the focus: objection handling now averages lowest (5.25 against 5.5).
    await w.inbound('roleplay');
    expect(w.gemini.calls.at(-1)!.system).toContain(FOCUS_PERSONA.objectionHandling);
  });

  it('a first practice has no focus and its score says it is the first', async () => {
    w = await coachingWorld({ backend });
    const meeting = await w.meeting();
    await w.inbound('roleplay');
    expect(w.gemini.calls.at(-1)!.system).not.toMatch(/This practice trains/);
    expect(last().body).not.toMatch(/tests your/);
    await w.inbound('Thanks for your time, Ann.');
    await w.inbound('stop');
    expect(last().body).toContain('Your first scored practice: the next ones are compared with it.');
    expect(await w.t.store.roleplays.forMeeting(meeting.id)).toHaveLength(1);
  });

  it('help mentions the persona and the comparison', async () => {
    w = await coachingWorld({ backend });
    await w.inbound('help');
    expect(last().body).toContain(HELP_TEXT);
    expect(HELP_TEXT).toMatch(/weakest part lately/);
    expect(HELP_TEXT).toMatch(/compared with your last three/);
  });
});
