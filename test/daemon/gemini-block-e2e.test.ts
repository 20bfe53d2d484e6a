import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { buildApp, type App } from '../../src/daemon/build-app.js';
import { planJobRequest } from '../../src/lifecycle/coaching/prepare-plan.js';
import { PLAN_BLOCKED_MARK } from '../../src/lifecycle/coaching/generate-plan.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';

const SAM = '+14155550100';
const ADMIN = '+14155550199';
const GENERATE = /:generateContent$/;

/**
 * Issue 11's "A Gemini safety block is tried at most twice and never sent as a plan", through
 * the daemon's own object graph (buildApp: real job runner and its final-failure alert, the
 * real @google/genai and twilio SDKs against their simulators), counting Gemini requests.
 */
describe.each(backends)('a plan Gemini blocks, end to end (%s)', (backend) => {
  let t: TestStore;
  let twilio: TwilioSim;
  let gemini: GeminiSim;
  let app: App;
  let clock: FakeClock;

  beforeEach(async () => {
    t = await freshStore(backend);
    clock = new FakeClock(Date.UTC(2026, 0, 5, 9, 0));
    twilio = await startTwilioSimulator({ now: () => clock.now() });
    gemini = await startGeminiSimulator();
    const config = configSchema.parse({
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
      admin: { whatsapp: ADMIN },
    });
    app = await buildApp({ config, logger: silentLogger(), clock, store: t.store });
  });
  afterEach(async () => {
    await app.close();
    await twilio.close();
    await gemini.close();
    await t.dispose();
  });

  it('is tried at most twice, never sent as a plan, recorded on the job, and the admin is told once', async () => {
    const user = (await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam Seller', phone: SAM, timezone: 'Europe/Madrid' }, clock.now())).user;
    const meeting = await t.store.meetings.insert({
      event_id: 'evt-acme', source: 'graph', title: 'Acme renewal', body_preview: 'Renewal and the analytics add-on.',
      start_at: clock.now() + 26 * 3_600_000, end_at: clock.now() + 27 * 3_600_000, organizer_email: 'sam@example.com',
      user_id: user.id, status: 'scheduled', created_at: clock.now(), updated_at: clock.now(),
    });
    gemini.script({ blocked: 'SAFETY' }, { finish: 'SAFETY', text: '{"greeting": "Hi Sam", "summary": "' });
    const { job } = await app.services.queue.enqueue(planJobRequest(meeting, app.services.config, clock.now()));
    await app.runner.runDue();
    // Hours later nothing is asked again, sent again or alerted again.
    await clock.advance(12 * 3_600_000);
    await app.runner.runDue();

    expect(gemini.requests.filter((r) => GENERATE.test(r.path))).toHaveLength(2);
    expect(twilio.sentTo(SAM)).toHaveLength(0);
    const alerts = twilio.sentTo(ADMIN).map((m) => m.body);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain(`job prepare_plan #${job.id} (meeting ${meeting.id}) failed: ${PLAN_BLOCKED_MARK}`);
    expect(alerts[0]).toContain('blockReason SAFETY');
    expect(alerts[0]).toContain('finishReason SAFETY');
    const failed = await t.store.jobs.byId(job.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.last_error).toContain(PLAN_BLOCKED_MARK);
    expect((await t.store.meetings.byId(meeting.id))!).toMatchObject({ status: 'scheduled', plan_json: null });
  });
});
