import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { buildApp, type App } from '../../src/daemon/build-app.js';
import { createWebhookComponent } from '../../src/daemon/webhook-component.js';
import type { HttpListener } from '../../src/daemon/http/http-listener.js';
import { STATUS_PATH, WEBHOOK_PATH } from '../../src/daemon/http/twilio-routes.js';
import { planJobRequest } from '../../src/lifecycle/coaching/prepare-plan.js';
import { runChecks } from '../../src/lifecycle/doctor/doctor-checks.js';
import { storeChecks } from '../../src/lifecycle/doctor/doctor-store-checks.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { sendInboundWhatsApp } from '../../src/sandbox/twilio-webhook.js';
import { advanceJobs } from '../helpers/advance-jobs.js';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0);
const HOUR = 3_600_000;
const PUBLIC_URL = 'https://coach.example.com';
const SAM = '+14155550100';
const ADMIN = '+14155550199';
const PLAN_TEMPLATE = 'HX' + 'c'.repeat(32);

interface World {
  t: TestStore;
  clock: FakeClock;
  twilio: TwilioSim;
  gemini: GeminiSim;
  app: App;
  http: HttpListener;
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
});

/**
 * Twilio error 63016 reported late: the plan goes out as free text because rolplay believes the
 * window is open (the salesperson wrote 23 h ago), Twilio accepts it as queued, then its status
 * callback says failed/63016. Real twilio and @google/genai SDKs against the simulators, the
 * daemon's own listener (the simulator signs the public StatusCallback URL and posts to the
 * loopback one) and job runner, a fake clock.
 */
describe.each(backends)('late delivery failures end to end (%s)', (backend) => {
  async function start(options: { planTemplate?: string; refuseAtOnce?: boolean }): Promise<World> {
    const t = await freshStore(backend);
    cleanup.push(() => t.dispose());
    const clock = new FakeClock(T0);
    // Known once the listener is up; the simulator reads it when it posts a callback.
    let loopback = '';
    const twilio = await startTwilioSimulator({
      now: () => clock.now(),
      outsideWindow: [SAM],
      outsideWindowMode: options.refuseAtOnce ? 'reject' : 'fail-later',
      callbackTarget: (url) => url.replace(PUBLIC_URL, loopback),
    });
    const gemini = await startGeminiSimulator();
    cleanup.push(() => twilio.close(), () => gemini.close());
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, publicUrl: PUBLIC_URL },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url, templates: { plan: options.planTemplate ?? '' } },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
      admin: { whatsapp: ADMIN },
    });
    const app = await buildApp({ config, logger: silentLogger(), clock, store: t.store });
    const http = createWebhookComponent(app);
    await http.start();
    loopback = http.url();
    app.runner.start();
    cleanup.push(async () => {
      await http.stop();
      await app.close();
    });
    return { t, clock, twilio, gemini, app, http };
  }

  /** Sam writes on WhatsApp: Twilio's signed webhook to the daemon's own listener. */
  function samWrites(w: World, body: string) {
    return sendInboundWhatsApp({
      url: `${w.http.url()}${WEBHOOK_PATH}`, publicUrl: `${PUBLIC_URL}${WEBHOOK_PATH}`,
      authToken: w.twilio.authToken, accountSid: w.twilio.accountSid, from: SAM, body,
    });
  }

  /** Sam wrote 23 h ago (rolplay thinks the window is open; WhatsApp, in the simulator, does not). */
  async function seed(w: World) {
    const { user } = await w.t.store.users.upsert({ email: 'sam@example.com', name: 'Sam Seller', phone: SAM, timezone: 'UTC' }, T0 - 48 * HOUR);
    await w.t.store.messages.record({ direction: 'in', userId: user.id, meetingId: null, phone: SAM, body: 'thanks', twilioSid: `SM${'0'.repeat(32)}`, kind: 'chat' }, T0 - 23 * HOUR);
    const meeting = await w.t.store.meetings.insert({
      event_id: 'evt-acme', source: 'graph', title: 'Acme renewal', start_at: T0 + 26 * HOUR, end_at: T0 + 27 * HOUR,
      organizer_email: user.email, user_id: user.id, status: 'scheduled', created_at: T0, updated_at: T0,
    });
    // A long plan: it goes out in several parts, each failing on its own.
    const long = (text: string, n: number) => `${text} `.repeat(n).trim();
    w.gemini.script({ patch: {
      summary: long('Ann runs operations at Acme and cares about uptime.', 25),
      steps: [long('Check usage.', 35), long('Prepare the pilot offer.', 20), long('Confirm the signer.', 22)],
    } });
    await w.app.services.queue.enqueue(planJobRequest(meeting, w.app.services.config, w.clock.now()));
    await advanceJobs(w.clock, w.t.store);
    return meeting;
  }

  it('63016 at once (REST 400) with twilio.templates.plan: the template goes out instead, once, and the plan follows the reply', async () => {
    const w = await start({ planTemplate: PLAN_TEMPLATE, refuseAtOnce: true });
    const meeting = await seed(w);
    const sent = w.twilio.sentTo(SAM);
    expect(sent.map((m) => m.contentSid)).toEqual([PLAN_TEMPLATE]);
    expect(w.twilio.sentTo(ADMIN)).toHaveLength(0);
    expect((await w.t.store.meetings.byId(meeting.id))!.status).toBe('plan_sent');
    await advanceJobs(w.clock, w.t.store, 60_000);
    expect(w.twilio.sentTo(SAM)).toHaveLength(1);

    w.twilio.openWindow(SAM);
    expect((await samWrites(w, 'Yes, show me')).status).toBe(200);
    await advanceJobs(w.clock, w.t.store);
    const texts = w.twilio.sentTo(SAM).filter((m) => m.contentSid === null);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts[0]!.body).toContain('Acme renewal');
    expect(texts.map((m) => m.body).join('\n')).toContain('Confirm the signer.');
  });

  it('with twilio.templates.plan: the template goes out once, the full plan follows the reply; repeated and late callbacks change nothing', async () => {
    const w = await start({ planTemplate: PLAN_TEMPLATE });
    await seed(w);
    const parts = w.twilio.sentTo(SAM);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((m) => m.status === 'queued' && m.statusCallback === `${PUBLIC_URL}${STATUS_PATH}`)).toBe(true);

    await w.twilio.settle();
    expect(w.twilio.callbacks.map((c) => [c.status, c.answer])).toEqual(parts.map(() => ['failed', 200]));
    for (const part of parts) expect(await w.t.store.messages.bySid(part.sid)).toMatchObject({ delivery_status: 'failed', error_code: 63016 });
    await advanceJobs(w.clock, w.t.store);

    const templates = () => w.twilio.sentTo(SAM).filter((m) => m.contentSid !== null);
    expect(templates()).toHaveLength(1);
    expect(templates()[0]).toMatchObject({ contentSid: PLAN_TEMPLATE, contentVariables: { 1: 'Sam', 2: 'Acme renewal' } });
    expect(w.twilio.sentTo(ADMIN)).toHaveLength(0);

    // Twilio repeating a callback, and a stray "delivered" after the failure.
    expect((await w.twilio.postStatus(parts[0]!.sid)).answer).toBe(200);
    expect((await w.twilio.postStatus(parts[1]!.sid, { status: 'delivered' })).answer).toBe(200);
    await w.twilio.settle(); // the template is delivered
    await advanceJobs(w.clock, w.t.store, 60_000);
    expect(templates()).toHaveLength(1);
    expect(await w.t.store.messages.bySid(parts[1]!.sid)).toMatchObject({ delivery_status: 'failed', error_code: 63016 });
    expect(await w.t.store.messages.bySid(templates()[0]!.sid)).toMatchObject({ delivery_status: 'delivered', error_code: null });

    // Sam answers the template, which opens the window: the whole plan arrives as text.
    w.twilio.openWindow(SAM);
    expect((await samWrites(w, 'Yes, show me')).status).toBe(200);
    await advanceJobs(w.clock, w.t.store);
    const after = w.twilio.sentTo(SAM).slice(parts.length + 1);
    expect(after.map((m) => m.body)).toEqual(parts.map((m) => m.body));
    await w.twilio.settle();
    expect(after.map((m) => m.status)).toEqual(after.map(() => 'delivered'));
    expect(w.twilio.sentTo(ADMIN)).toHaveLength(0);

    const doctor = Object.fromEntries((await runChecks(storeChecks(w.t.store, w.clock))).map((r) => [r.name, r]));
    expect(doctor['WhatsApp 24-hour window (63016)']).toMatchObject({ status: 'fail', detail: expect.stringContaining(`${parts.length} messages refused with Twilio error 63016 in the last 7 days (reported later in a status callback)`) });
  });

  it('without a template: the admin is told once which setting fixes it, and nothing is resent', async () => {
    const w = await start({});
    await seed(w);
    const parts = w.twilio.sentTo(SAM);
    expect(parts.length).toBeGreaterThan(1);
    await w.twilio.settle();
    await w.twilio.postStatus(parts[0]!.sid);
    await advanceJobs(w.clock, w.t.store);
    await w.twilio.settle();
    await advanceJobs(w.clock, w.t.store, 60_000);

    expect(w.twilio.sentTo(SAM)).toHaveLength(parts.length);
    const alerts = w.twilio.sentTo(ADMIN);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.body).toContain('Sam Seller (sam@example.com) did not get the plan for "Acme renewal"');
    expect(alerts[0]!.body).toContain('twilio.templates.plan');
    expect(alerts[0]!.status).toBe('delivered');
    expect(await w.t.store.deferredMessages.pending((await w.t.store.users.byPhone(SAM))!.id)).toEqual([]);
  });
});
