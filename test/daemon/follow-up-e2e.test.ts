import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { buildApp, type App } from '../../src/daemon/build-app.js';
import { createWebhookComponent } from '../../src/daemon/webhook-component.js';
import type { HttpListener } from '../../src/daemon/http/http-listener.js';
import { WEBHOOK_PATH } from '../../src/daemon/http/twilio-routes.js';
import { scheduleFollowUp } from '../../src/lifecycle/follow-up/schedule-follow-up.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { startHubspotSimulator, type HubspotSim } from '../../src/sandbox/hubspot-simulator.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { startGeminiSimulator } from '../../src/sandbox/gemini-simulator.js';
import { sendInboundWhatsApp } from '../../src/sandbox/twilio-webhook.js';
import { advanceJobs } from '../helpers/advance-jobs.js';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';

/** 10:28, two minutes before the meeting ends. */
const T0 = Date.UTC(2026, 0, 5, 10, 28, 0);
const MIN = 60_000;
const PUBLIC_URL = 'https://coach.example.com';
const PHONE = '+14155550100';

interface Daemon {
  store: Store;
  app: App;
  web: HttpListener;
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
});

/**
 * The "Done when": real SDKs (twilio, @hubspot/api-client, @google/genai) against the simulators, the
 * daemon's own webhook listener and job runner, a fake clock, and restarts on the same database.
 */
describe.each(backends)('follow-up end to end (%s)', (backend) => {
  it('reminder at end + 1 min, a signed "Done - ..." reply makes exactly one HubSpot note on the contact, completed; restarts change nothing', async () => {
    const t: TestStore = await freshStore(backend);
    cleanup.push(() => t.dispose());
    const clock = new FakeClock(T0);
    const twilio: TwilioSim = await startTwilioSimulator({ now: () => clock.now() });
    const hub: HubspotSim = await startHubspotSimulator();
    const gemini = await startGeminiSimulator();
    cleanup.push(() => twilio.close(), () => hub.close(), () => gemini.close());
    gemini.script({ json: { result: 'They want a pilot in March', nextSteps: [{ action: 'Set up the pilot', due: '2026-03-01' }], sentiment: 'positive' } });
    const company = hub.addCompany({ name: 'Acme', domain: 'acme.example' });
    const contact = hub.addContact({ email: 'ann@acme.example', firstname: 'Ann', lastname: 'Lee' }, company);
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, publicUrl: PUBLIC_URL },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url, whatsappFrom: 'whatsapp:+14155238886' },
      hubspot: { accessToken: hub.token, basePath: hub.url },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
      schedule: { reminderDelayMinutes: 1, nudgeAfterHours: 4 },
    });

    let daemon: Daemon | undefined;
    const start = async (): Promise<Daemon> => {
      const store = await openStore(t.sqlitePath ? { sqlitePath: t.sqlitePath } : { databaseUrl: t.databaseUrl });
      const app = await buildApp({ config, logger: silentLogger(), clock, store });
      const web = createWebhookComponent(app);
      await web.start();
      app.runner.start();
      return { store, app, web };
    };
    const stop = async () => {
      if (!daemon) return;
      await daemon.web.stop();
      await daemon.app.close();
      await daemon.store.close();
      daemon = undefined;
    };
    cleanup.push(stop);
    const advance = (ms: number) => advanceJobs(clock, daemon!.store, ms);
    const reply = (body: string, messageSid?: string) => sendInboundWhatsApp({
      url: `${daemon!.web.url()}${WEBHOOK_PATH}`, publicUrl: `${PUBLIC_URL}${WEBHOOK_PATH}`,
      authToken: twilio.authToken, accountSid: twilio.accountSid, from: PHONE, body, messageSid,
    });

    // The salesperson and a meeting (as the calendar ingest leaves it) ending at 10:30.
    const { user } = await t.store.users.upsert({ email: 'sam@seller.example', name: 'Sam Seller', phone: PHONE, timezone: 'UTC' }, T0);
    const ann = await t.store.clients.upsert({ email: 'ann@acme.example', name: 'Ann Lee', company: 'Acme' }, T0);
    const meeting = await t.store.meetings.insert({
      event_id: 'evt-1', source: 'graph', title: 'Quarterly review', start_at: T0 - 28 * MIN, end_at: T0 + 2 * MIN,
      organizer_email: user.email, user_id: user.id, status: 'plan_sent', created_at: T0, updated_at: T0,
    });
    await t.store.clients.setForMeeting(meeting.id, [ann.id]);

    daemon = await start();
    await scheduleFollowUp(daemon.app.services, meeting);
    const reminderAt = meeting.end_at + MIN;
    await advance(reminderAt - 1000 - clock.now());
    expect(twilio.messages).toHaveLength(0);
    await advance(1000);
    expect(twilio.messages.map((m) => [m.to, m.body, m.dateCreated])).toEqual([
      [`whatsapp:${PHONE}`, 'How did Quarterly review with Ann Lee go? Reply with the outcome and next steps, or just Done.', reminderAt],
    ]);
    expect((await t.store.meetings.byId(meeting.id))!.status).toBe('reminder_sent');

    // Restart between the reminder and the reply: nothing is sent again.
    await stop();
    daemon = await start();
    await advance(5 * MIN);
    expect(twilio.messages).toHaveLength(1);

    const answer = await reply('Done - they want a pilot in March');
    expect(answer.status).toBe(200);
    await advance(0);
    const notes = hub.records('notes');
    expect(notes).toHaveLength(1);
    expect(hub.associationsOf('notes', notes[0]!.id).filter((a) => a.toType === 'contacts').map((a) => [a.toId, a.typeId])).toEqual([[contact, 202]]);
    expect(gemini.calls.filter((c) => c.schema)).toHaveLength(1);
    expect(gemini.calls[0]!.contents.at(-1)!.text).toContain('they want a pilot in March');
    expect(notes[0]!.properties.hs_note_body).toContain('They want a pilot in March');
    expect(notes[0]!.properties.hs_note_body).toContain('Set up the pilot (by 1 Mar 2026)');
    expect(notes[0]!.properties.hs_timestamp).toBe(new Date(meeting.start_at).toISOString());
    const done = (await t.store.meetings.byId(meeting.id))!;
    expect(done).toMatchObject({ status: 'completed', hubspot_note_id: notes[0]!.id, last_reply: 'Done - they want a pilot in March' });
    expect(twilio.messages).toHaveLength(2);
    expect(twilio.messages[1]!.body).toBe('Logged Quarterly review to HubSpot for Ann Lee (Acme): "They want a pilot in March". Next steps: Set up the pilot (by 1 Mar 2026).');

    // Twilio delivering the same reply twice, a restart, time passing: no change.
    await reply('Done - they want a pilot in March', answer.messageSid);
    await stop();
    daemon = await start();
    await advance(15 * MIN);
    expect(hub.records('notes')).toHaveLength(1);
    expect(twilio.messages).toHaveLength(2);
    // A second "Done" is answered, and logs nothing twice.
    await reply('Done');
    await advance(0);
    expect(hub.records('notes')).toHaveLength(1);
    expect(twilio.messages.map((m) => m.body).at(-1)).toBe('Quarterly review is already logged in HubSpot; nothing more to do.');
    expect((await t.store.meetings.byId(meeting.id))!.status).toBe('completed');
  });
});
