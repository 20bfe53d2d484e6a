import { afterEach, describe, expect, it } from 'vitest';
import { coachingWorld, type CoachingWorld } from '../../helpers/coaching-world.js';
import { followUpWorld, MIN, type World } from '../../helpers/follow-up-world.js';
import { backends } from '../../helpers/stores.js';
import { COACH_REFUSED_TEXT } from '../../../src/lifecycle/coaching/coach-reply.js';
import { ROLEPLAY_SCORE_REFUSED_TEXT, ROLEPLAY_START_REFUSED_TEXT, ROLEPLAY_TURN_REFUSED_TEXT } from '../../../src/lifecycle/coaching/roleplay.js';
import { scheduleFollowUp } from '../../../src/lifecycle/follow-up/schedule-follow-up.js';
import { tryHandleOutcome } from '../../../src/lifecycle/follow-up/record-outcome.js';
import { createGeminiModel } from '../../../src/clients/gemini/gemini-model.js';
import { startGeminiSimulator, type GeminiSim } from '../../../src/sandbox/gemini-simulator.js';
import { systemClock } from '../../../src/support/clock.js';
import { silentLogger } from '../../../src/support/logger.js';

let w: CoachingWorld | undefined;
let f: World | undefined;
let sim: GeminiSim | undefined;
afterEach(async () => {
  await w?.close();
  await f?.close();
  await sim?.close();
  w = f = sim = undefined;
});

/** Chat and role-play answers Gemini refuses get one short, polite WhatsApp reply, and no retry. */
describe.each(backends)('conversation when Gemini refuses (%s)', (backend) => {
  const last = () => w!.sent.at(-1)!;
  const jobsFailed = async () => (await w!.t.store.jobs.countByStatus()).failed ?? 0;

  it('a blocked coach answer gets a polite reply, asked once', async () => {
    w = await coachingWorld({ backend });
    await w.meeting();
    w.gemini.script({ blocked: 'SAFETY' });
    await w.inbound('How do I get their budget out of them?');
    expect(last()).toMatchObject({ kind: 'coach', body: COACH_REFUSED_TEXT });
    expect(w.gemini.calls).toHaveLength(1);
    expect(await jobsFailed()).toBe(0);
    // A SAFETY finish with partial text is a refusal too: the partial text never reaches WhatsApp.
    w.gemini.script({ finish: 'SAFETY', text: 'Well, you could threaten' });
    await w.inbound('And if they refuse?');
    expect(last().body).toBe(COACH_REFUSED_TEXT);
    expect(w.sent.some((s) => s.body?.includes('threaten'))).toBe(false);
  });

  it('a coach answer cut twice at the output limit gets the polite reply too', async () => {
    w = await coachingWorld({ backend });
    await w.meeting();
    w.gemini.script({ text: 'x', thinkingTokens: 1_000_000 }, { text: 'x', thinkingTokens: 1_000_000 });
    await w.inbound('Give me everything you know.');
    expect(last().body).toBe(COACH_REFUSED_TEXT);
    expect(w.gemini.calls).toHaveLength(2);
  });

  it('a blocked role-play opening ends the role-play with a polite reply', async () => {
    w = await coachingWorld({ backend });
    await w.meeting();
    w.gemini.script({ finish: 'PROHIBITED_CONTENT' });
    await w.inbound('roleplay hard');
    expect(last()).toMatchObject({ kind: 'command', body: ROLEPLAY_START_REFUSED_TEXT });
    expect((await w.t.store.conversations.get(w.user.id))?.mode).not.toBe('roleplay');
    expect(await jobsFailed()).toBe(0);
  });

  it('a blocked client line gets a note outside the transcript; a blocked score stops the practice politely', async () => {
    w = await coachingWorld({ backend });
    await w.meeting();
    await w.inbound('roleplay');
    w.gemini.script({ finish: 'RECITATION', text: 'As the famous song goes' });
    await w.inbound('Hi Ann, what matters most to you?');
    expect(last()).toMatchObject({ kind: 'command', body: ROLEPLAY_TURN_REFUSED_TEXT });
    await w.inbound('Let me try again: what would success look like?');
    const turnCall = w.gemini.calls.at(-1)!;
    expect(turnCall.contents.map((c) => c.text).join('\n')).not.toContain('would not answer');
    w.gemini.script({ blocked: 'OTHER' });
    const before = w.gemini.calls.length;
    await w.inbound('stop');
    expect(last()).toMatchObject({ body: ROLEPLAY_SCORE_REFUSED_TEXT });
    expect(w.gemini.calls).toHaveLength(before + 1);
    expect((await w.t.store.conversations.get(w.user.id))?.mode).not.toBe('roleplay');
    expect(await jobsFailed()).toBe(0);
  });

  it('a blocked outcome structuring logs the reply as written, like an unavailable model', async () => {
    sim = await startGeminiSimulator();
    const model = createGeminiModel({ apiKey: sim.apiKey, model: 'gemini-2.5-flash', baseUrl: sim.url, timeoutMs: 5000, concurrency: 2, clock: systemClock, logger: silentLogger(), maxRetries: 0 });
    f = await followUpWorld({ backend, model, hubspot: false });
    const m = await f.meeting();
    await scheduleFollowUp(f.services, m);
    f.runner.start();
    await f.advance(Math.max(0, m.end_at + MIN - f.clock.now()));
    sim.script({ blocked: 'SAFETY' });
    expect(await tryHandleOutcome(f.services, f.user, 'Done - they want a pilot in March', 'SM1')).toBe(true);
    await f.advance();
    expect(sim.calls).toHaveLength(1);
    expect(JSON.parse((await f.reload(m.id)).outcome_json!)).toMatchObject({ result: 'they want a pilot in March', source: 'raw' });
  });
});
