import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { FakeClock } from '../../../src/support/clock.js';
import { silentLogger } from '../../../src/support/logger.js';
import { NotFoundError, UsageError } from '../../../src/support/errors.js';
import { buildApp, type App } from '../../../src/daemon/build-app.js';
import { replayPlan } from '../../../src/lifecycle/coaching/replay-plan.js';
import { startTwilioSimulator, type TwilioSim } from '../../../src/sandbox/twilio-simulator.js';
import { startGeminiSimulator, type GeminiSim } from '../../../src/sandbox/gemini-simulator.js';
import { backends, freshStore, type TestStore } from '../../helpers/stores.js';
import { seedMeetings, T0 } from '../../helpers/seed-meetings.js';

describe.each(backends)('replayPlan on %s', (backend) => {
  let t: TestStore;
  let twilio: TwilioSim;
  let gemini: GeminiSim;
  let app: App;
  afterEach(async () => {
    await app?.close();
    await twilio?.close();
    await gemini?.close();
    await t?.dispose();
  });

  async function setup() {
    t = await freshStore(backend);
    const clock = new FakeClock(T0);
    twilio = await startTwilioSimulator({ now: () => clock.now() });
    gemini = await startGeminiSimulator();
    const config = configSchema.parse({
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
    });
    app = await buildApp({ config, logger: silentLogger(), clock, store: t.store });
    return { seeded: await seedMeetings(t.store), clock };
  }

  it('--dry-run writes a fresh plan from the current context and stores and sends nothing', async () => {
    const { seeded } = await setup();
    const before = await t.store.meetings.byId(seeded.meetings.planned.id);
    const jobsBefore = (await t.store.jobs.forMeeting(seeded.meetings.planned.id)).length;
    const r = await replayPlan(app.services, seeded.meetings.planned.id, { dryRun: true });
    expect(r.sent).toBe(false);
    expect(r.text).toContain('*Coaching plan: Acme renewal*');
    expect(r.plan.steps.length).toBeGreaterThan(0);
    expect(gemini.calls.length).toBe(1);
    expect((await t.store.meetings.byId(seeded.meetings.planned.id))?.plan_json).toBe(before?.plan_json);
    expect(await t.store.jobs.forMeeting(seeded.meetings.planned.id)).toHaveLength(jobsBefore);
  });

  it('stores and sends the new plan under a new replay key every time, never deduped against the first', async () => {
    const { seeded, clock } = await setup();
    const id = seeded.meetings.planned.id;
    const first = await replayPlan(app.services, id);
    await clock.advance(1000);
    const second = await replayPlan(app.services, id);
    expect(first.dedupeKey).toMatch(new RegExp(`^plan-replay:${id}:\\d+$`));
    expect(second.dedupeKey).not.toBe(first.dedupeKey);
    await app.runner.runDue();
    const sent = twilio.sentTo('+14155552671');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.body).toContain('*Coaching plan: Acme renewal*');
    expect(JSON.parse((await t.store.meetings.byId(id))!.plan_json!)).toEqual(second.plan);
    const out = (await t.store.messages.forMeeting(id)).filter((m) => m.direction === 'out' && m.kind === 'plan');
    expect(out).toHaveLength(3); // the seeded first plan and the two replays
  });

  it('moves a scheduled meeting to plan_sent', async () => {
    const { seeded } = await setup();
    await t.store.meetings.update(seeded.meetings.planned.id, { status: 'scheduled' });
    await replayPlan(app.services, seeded.meetings.planned.id);
    expect((await t.store.meetings.byId(seeded.meetings.planned.id))?.status).toBe('plan_sent');
  });

  it('refuses a cancelled meeting unless forced, an unmatched one, and an unknown id', async () => {
    const { seeded } = await setup();
    await expect(replayPlan(app.services, seeded.meetings.cancelled.id)).rejects.toThrow(/is cancelled: pass --force/);
    await expect(replayPlan(app.services, seeded.meetings.cancelled.id)).rejects.toBeInstanceOf(UsageError);
    expect((await replayPlan(app.services, seeded.meetings.cancelled.id, { force: true })).sent).toBe(true);
    expect((await t.store.meetings.byId(seeded.meetings.cancelled.id))?.status).toBe('cancelled');
    await expect(replayPlan(app.services, seeded.meetings.unmatched.id)).rejects.toThrow(/no registered salesperson \(organizer stranger@elsewhere.com\)/);
    await expect(replayPlan(app.services, 999)).rejects.toBeInstanceOf(NotFoundError);
  });
});
