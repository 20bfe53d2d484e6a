import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { buildApp } from '../../src/daemon/build-app.js';
import { createWebhookComponent } from '../../src/daemon/webhook-component.js';
import { WEBHOOK_PATH } from '../../src/daemon/http/twilio-routes.js';
import { registerUser } from '../../src/lifecycle/users/register-user.js';
import { planJobRequest } from '../../src/lifecycle/coaching/prepare-plan.js';
import { scheduleFollowUp } from '../../src/lifecycle/follow-up/schedule-follow-up.js';
import { startHubspotSimulator } from '../../src/sandbox/hubspot-simulator.js';
import { startTwilioSimulator } from '../../src/sandbox/twilio-simulator.js';
import { startGeminiSimulator } from '../../src/sandbox/gemini-simulator.js';
import { sendInboundWhatsApp } from '../../src/sandbox/twilio-webhook.js';
import { advanceJobs } from '../helpers/advance-jobs.js';
import { backends, freshStore } from '../helpers/stores.js';

/** Tue 6 Jan 2026, 15:30 UTC (09:30 in Mexico City). */
const T0 = Date.UTC(2026, 0, 6, 15, 30, 0);
const MIN = 60_000;
const PUBLIC_URL = 'https://coach.example.com';
/** A Mexican mobile as rolplay stores it (the old "1" after +52 dropped: see domain/phone.ts). */
const PHONE = '+525512345678';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
});

/**
 * Issue 14's "Done when" for language: a Spanish-speaking salesperson gets the welcome, the plan
 * (headings and date), the reminder and the outcome confirmation in Spanish. Real twilio,
 * @google/genai and @hubspot/api-client SDKs against the simulators, the daemon's webhook
 * listener and job runner, a fake clock.
 */
describe.each(backends)('a Spanish-speaking salesperson end to end (%s)', (backend) => {
  it('welcome, plan, reminder and confirmation in Spanish; the model is asked for Spanish', async () => {
    const t = await freshStore(backend);
    cleanup.push(() => t.dispose());
    const clock = new FakeClock(T0);
    const twilio = await startTwilioSimulator({ now: () => clock.now() });
    const hub = await startHubspotSimulator();
    const gemini = await startGeminiSimulator();
    cleanup.push(() => twilio.close(), () => hub.close(), () => gemini.close());
    hub.addContact({ email: 'ana@acme.example', firstname: 'Ana', lastname: 'López' }, hub.addCompany({ name: 'Acme', domain: 'acme.example' }));
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, publicUrl: PUBLIC_URL },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      hubspot: { accessToken: hub.token, basePath: hub.url },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
      defaults: { country: 'MX', timezone: 'America/Mexico_City', language: 'es' },
    });
    const app = await buildApp({ config, logger: silentLogger(), clock, store: t.store });
    const web = createWebhookComponent(app);
    await web.start();
    app.runner.start();
    cleanup.push(async () => {
      await web.stop();
      await app.close();
    });
    const advance = (ms: number) => advanceJobs(clock, t.store, ms);
    const bodies = () => twilio.sentTo(PHONE).map((m) => m.body);

    // Registered without --language: defaults.language (es).
    const { user } = await registerUser(app.services, { name: 'Sara López', email: 'sara@seller.example', phone: PHONE, welcome: true });
    expect(user.language).toBe('es');
    await advance(0);
    expect(bodies()[0]).toMatch(/^¡Hola, Sara! Ya tienes acceso a rolplay, tu coach de ventas\.\n\nInvita a coach-bot@example\.com a una reunión/);

    // A meeting at 10:00-10:30 in Mexico City (16:00 UTC), as the calendar ingest leaves it.
    const ana = await t.store.clients.upsert({ email: 'ana@acme.example', name: 'Ana López', company: 'Acme' }, T0);
    const meeting = await t.store.meetings.insert({
      event_id: 'evt-es', source: 'graph', title: 'Renovación Acme', body_preview: 'Hablar de la renovación 2026.',
      start_at: Date.UTC(2026, 0, 6, 16, 0), end_at: Date.UTC(2026, 0, 6, 16, 30),
      organizer_email: user.email, user_id: user.id, status: 'scheduled', created_at: T0, updated_at: T0,
    });
    await t.store.clients.setForMeeting(meeting.id, [ana.id]);
    await app.services.queue.enqueue(planJobRequest(meeting, config, clock.now()));
    await advance(0);
    expect(gemini.calls[0]!.system).toContain('Write in Spanish (es).');
    const plan = bodies().slice(1).join('\n\n');
    expect(plan).toMatch(/^\*Plan de preparación: Renovación Acme\*\n_mar, 6 de ene de 2026, 10:00–10:30 \(America\/Mexico_City\)_\n\n¡Hola, Sara! Aquí está tu plan/);
    for (const heading of ['*Prepárate*', '*Objeciones probables*', '*Preguntas para hacer*', '*Frase de apertura*']) expect(plan).toContain(heading);
    expect(plan).toContain('Responde *practicar* para ensayar conmigo');

    // The reminder a minute after the meeting ends.
    await scheduleFollowUp(app.services, (await t.store.meetings.byId(meeting.id))!);
    await advance(meeting.end_at + MIN - clock.now());
    expect(bodies().at(-1)).toBe('¿Cómo te fue en Renovación Acme con Ana López? Responde con el resultado y los próximos pasos, o solo Listo.');

    // The answer becomes a HubSpot note (English labels: a shared CRM) and a Spanish confirmation.
    gemini.script({ json: { result: 'Quieren un piloto en marzo', nextSteps: [{ action: 'Armar el piloto', due: '2026-03-02' }], sentiment: 'positive' } });
    const answer = await sendInboundWhatsApp({
      url: `${web.url()}${WEBHOOK_PATH}`, publicUrl: `${PUBLIC_URL}${WEBHOOK_PATH}`,
      authToken: twilio.authToken, accountSid: twilio.accountSid, from: PHONE, body: 'Les gustó, quieren un piloto en marzo',
    });
    expect(answer.status).toBe(200);
    await advance(0);
    expect(gemini.calls.at(-1)!.system).toContain('Write in Spanish (es).');
    const notes = hub.records('notes');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.properties.hs_note_body).toContain('<strong>Outcome:</strong> Quieren un piloto en marzo');
    expect(bodies().at(-1)).toBe('Registré Renovación Acme en HubSpot para Ana López (Acme): "Quieren un piloto en marzo". Próximos pasos: Armar el piloto (antes del 2 mar 2026).');
  });
});
