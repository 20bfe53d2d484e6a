import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { buildApp, type App } from '../../../src/daemon/build-app.js';
import { createTwilioMessenger } from '../../../src/clients/twilio/create-twilio-messenger.js';
import { sendWhatsAppJob } from '../../../src/lifecycle/whatsapp/send-whatsapp.js';
import { SEND_WHATSAPP, type SendWhatsAppPayload } from '../../../src/lifecycle/jobs/job-kinds.js';
import { readPayload } from '../../../src/lifecycle/jobs/job-payload.js';
import { startTwilioSimulator, type TwilioSim } from '../../../src/sandbox/twilio-simulator.js';
import { FakeClock } from '../../../src/support/clock.js';
import { silentLogger } from '../../../src/support/logger.js';
import { noopMetrics } from '../../../src/support/metrics.js';
import { freshStore, type TestStore } from '../../helpers/stores.js';

const PHONE = '+34612345678';
const T0 = Date.parse('2026-03-02T10:00:00Z');

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** rolplay_reminder_lateness_seconds: observed when a meeting's reminder reaches Twilio, and only then. */
describe('reminder lateness', () => {
  it('is the time from end + reminderDelayMinutes to the hand-over, for the reminder itself or its template, not for text delivered later', async () => {
    const clock = new FakeClock(T0);
    const sim: TwilioSim = await startTwilioSimulator({ now: () => clock.now() });
    const t: TestStore = await freshStore();
    const config = configSchema.parse({ twilio: { accountSid: sim.accountSid, authToken: sim.authToken, apiBaseUrl: sim.url }, schedule: { reminderDelayMinutes: 2 } });
    const messenger = createTwilioMessenger({ accountSid: sim.accountSid, authToken: sim.authToken, whatsappFrom: config.twilio.whatsappFrom, apiBaseUrl: sim.url, timeoutMs: 2000 }, silentLogger());
    const app: App = await buildApp({ config, logger: silentLogger(), clock, store: t.store, clients: { messenger } });
    cleanup.push(() => sim.close(), () => t.dispose(), () => app.close());
    const seen: number[] = [];
    app.services.metrics = { ...noopMetrics, reminderSent: (s) => seen.push(s) };
    const handler = sendWhatsAppJob.handler(app.services)!;
    const { user } = await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam', phone: PHONE, timezone: 'UTC' }, T0);
    // Ended 2 min 45 s ago: the reminder fell due 45 s ago.
    const meeting = await t.store.meetings.insert({
      event_id: 'e1', source: 'graph', title: 'Review', start_at: T0 - 3_600_000, end_at: T0 - 165_000,
      organizer_email: user.email, user_id: user.id, status: 'plan_sent', created_at: T0, updated_at: T0,
    });
    const send = async (payload: SendWhatsAppPayload, key: string) => {
      const { job } = await t.store.jobs.enqueue({ kind: 'send_whatsapp', payload, runAt: clock.now(), dedupeKey: key, maxAttempts: 8, lane: 'whatsapp' }, clock.now());
      await handler({ job, payload: readPayload(SEND_WHATSAPP, job), attempt: 1, logger: silentLogger(), clock, progress: undefined, saveProgress: async () => true });
    };
    const reminder: SendWhatsAppPayload = { to: PHONE, kind: 'reminder', userId: user.id, meetingId: meeting.id, body: 'How did Review go?' };
    await send(reminder, `reminder:${meeting.id}`);
    expect(seen).toEqual([45]);
    // The text held back after WhatsApp refused it, delivered when the salesperson wrote: not a reminder hand-over.
    clock.advance(3_600_000);
    await send(reminder, `deferred:${meeting.id}:reminder`);
    // Another kind of message about the meeting: not either.
    await send({ ...reminder, kind: 'outcome' }, `outcome:${meeting.id}`);
    expect(seen).toEqual([45]);
    // The reminder's template, sent because WhatsApp refused its text at once, is.
    await send({ to: PHONE, kind: 'reminder', userId: user.id, meetingId: meeting.id, template: { contentSid: `HX${'0'.repeat(32)}`, variables: { 1: 'Review', 2: 'Ann' } } }, `reminder:${meeting.id}:template`);
    expect(seen).toEqual([45, 3645]);
    expect(sim.sentTo(PHONE)).toHaveLength(4);
  });
});
