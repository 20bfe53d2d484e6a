import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { buildApp, type App } from '../../src/daemon/build-app.js';
import { createWebhookComponent } from '../../src/daemon/webhook-component.js';
import type { HttpListener } from '../../src/daemon/http/http-listener.js';
import { planJobRequest } from '../../src/lifecycle/coaching/prepare-plan.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { sendInboundWhatsApp } from '../../src/sandbox/twilio-webhook.js';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';

const PUBLIC_URL = 'https://coach.example.com';
const SAM = '+14155550100';

/**
 * The "Done when": a meeting in the store -> the plan arrives at the Twilio simulator
 * (split under 1,600 characters, in order) -> a signed inbound "roleplay" gets an in-character
 * reply -> "stop" gets a score -> a forged request gets 403 -> a duplicate MessageSid is
 * processed once. Real twilio and @google/genai SDKs against the simulators, the real HTTP
 * listener and job runner, a fake clock.
 */
describe.each(backends)('coaching end to end (%s)', (backend) => {
  let t: TestStore;
  let twilio: TwilioSim;
  let gemini: GeminiSim;
  let app: App;
  let http: HttpListener;
  let clock: FakeClock;

  beforeEach(async () => {
    t = await freshStore(backend);
    clock = new FakeClock(Date.UTC(2026, 0, 5, 9, 0));
    twilio = await startTwilioSimulator({ now: () => clock.now() });
    gemini = await startGeminiSimulator();
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, publicUrl: PUBLIC_URL },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
    });
    app = await buildApp({ config, logger: silentLogger(), clock, store: t.store });
    http = createWebhookComponent(app);
    await http.start();
  });
  afterEach(async () => {
    await http.stop();
    await app.close();
    await twilio.close();
    await gemini.close();
    await t.dispose();
  });

  const inbound = (body: string, extra: { messageSid?: string; signature?: string | null } = {}) => sendInboundWhatsApp({
    url: `${http.url()}/whatsapp-webhook`, publicUrl: `${PUBLIC_URL}/whatsapp-webhook`, authToken: twilio.authToken,
    accountSid: twilio.accountSid, from: SAM, body, ...extra,
  });
  const toSam = () => twilio.sentTo(SAM);

  it('plan, role-play, score, forged request and duplicate delivery', async () => {
    const user = (await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam Seller', phone: SAM, timezone: 'Europe/Madrid' }, clock.now())).user;
    const meeting = await t.store.meetings.insert({
      event_id: 'evt-acme', source: 'graph', title: 'Acme renewal', body_preview: 'Renewal and the analytics add-on.',
      start_at: clock.now() + 26 * 3_600_000, end_at: clock.now() + 27 * 3_600_000, organizer_email: 'sam@example.com',
      user_id: user.id, status: 'scheduled', created_at: clock.now(), updated_at: clock.now(),
    });
    const ann = await t.store.clients.upsert({ email: 'ann@acme.example', name: 'Ann Lee', company: 'Acme' }, clock.now());
    await t.store.clients.setForMeeting(meeting.id, [ann.id]);

    // A long plan: it must arrive in several parts, each under Twilio's limit, in order.
    const long = (s: string, n: number) => `${s} `.repeat(n).trim();
    gemini.script({ patch: {
      summary: long('Ann runs operations at Acme and cares about uptime.', 25),
      steps: [long('Check usage.', 35), long('Prepare the pilot offer.', 20), long('Confirm the signer.', 22)],
    } });
    await app.services.queue.enqueue(planJobRequest(meeting, app.services.config, clock.now()));
    await app.runner.runDue();

    const planParts = toSam().map((m) => m.body);
    expect(planParts.length).toBeGreaterThan(1);
    expect(planParts.every((b) => b.length <= 1600)).toBe(true);
    expect(planParts[0]).toMatch(/^\*Coaching plan: Acme renewal\*/);
    const whole = planParts.join('\n\n');
    expect(whole.indexOf('*Prepare*')).toBeLessThan(whole.indexOf('*Likely objections*'));
    expect(whole.indexOf('*Likely objections*')).toBeLessThan(whole.indexOf('*Opening line*'));
    expect((await t.store.meetings.byId(meeting.id))!.status).toBe('plan_sent');

    const start = await inbound('roleplay');
    expect(start.status).toBe(200);
    expect(start.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    await app.runner.runDue();
    const opening = toSam().at(-1)!.body;
    expect(opening).toMatch(/Role-play \(normal\): I am Ann Lee now/);
    expect(opening).toMatch(/vendor|Acme/);

    await inbound('Thanks Ann. What matters most to you in this renewal?');
    await app.runner.runDue();
    expect(toSam().at(-1)!.body).toMatch(/cost|pay/);

    const stop = await inbound('stop');
    await app.runner.runDue();
    expect(toSam().at(-1)!.body).toMatch(/^\*Practice score: ([1-9]|10)\/10\*/);
    expect((await t.store.meetings.byId(meeting.id))!.roleplay_score).toBeGreaterThan(0);

    const sentBefore = toSam().length;
    const forged = await inbound('plan', { signature: 'bm90IGEgcmVhbCBzaWduYXR1cmU=' });
    expect(forged.status).toBe(403);
    const unsigned = await inbound('plan', { signature: null });
    expect(unsigned.status).toBe(403);

    const again = await inbound('stop', { messageSid: stop.messageSid });
    expect(again.status).toBe(200);
    await app.runner.runDue();
    expect(toSam().length).toBe(sentBefore);
    expect(await t.store.messages.bySid(stop.messageSid)).toBeDefined();
    expect((await t.store.jobs.list({ kind: 'handle_inbound' })).length).toBe(3);
  });

  async function seedMeeting() {
    const user = (await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam Seller', phone: SAM, timezone: 'UTC' }, clock.now())).user;
    return t.store.meetings.insert({
      event_id: 'evt-globex', source: 'graph', title: 'Globex intro', start_at: clock.now() + 3_600_000, end_at: clock.now() + 7_200_000,
      organizer_email: 'sam@example.com', user_id: user.id, status: 'scheduled', created_at: clock.now(), updated_at: clock.now(),
    });
  }

  it('outside the 24-hour window without a template: Twilio 63016 is recorded on the job, not retried, and the admin is told', async () => {
    twilio.closeWindow(SAM);
    app.services.config.admin.whatsapp = '+14155550199';
    const meeting = await seedMeeting();
    await app.services.queue.enqueue(planJobRequest(meeting, app.services.config, clock.now()));
    await app.runner.runDue();
    const send = (await t.store.jobs.list({ kind: 'send_whatsapp' })).find((j) => j.payload.includes('"kind":"plan"'))!;
    expect(send.status).toBe('failed');
    expect(send.attempts).toBe(1);
    expect(send.last_error).toMatch(/63016/);
    expect(twilio.sentTo('+14155550199').at(-1)?.body).toMatch(/63016|24-hour|window/i);
  });

  it('outside the window with a plan template: the template goes out, the full plan follows the user\'s reply', async () => {
    twilio.closeWindow(SAM);
    app.services.config.twilio.templates.plan = 'HX' + 'b'.repeat(32);
    const meeting = await seedMeeting();
    await app.services.queue.enqueue(planJobRequest(meeting, app.services.config, clock.now()));
    await app.runner.runDue();
    expect(toSam()).toHaveLength(1);
    expect(toSam()[0]!.contentSid).toBe('HX' + 'b'.repeat(32));
    expect(toSam()[0]!.contentVariables).toMatchObject({ 1: 'Sam', 2: 'Globex intro' });
    twilio.openWindow(SAM);
    expect((await inbound('Show me the plan')).status).toBe(200);
    await app.runner.runDue();
    expect(toSam()).toHaveLength(2);
    expect(toSam()[1]!.body).toMatch(/^\*Coaching plan: Globex intro\*/);
  });
});
