import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { buildApp, type App } from '../../src/daemon/build-app.js';
import { createWebhookComponent } from '../../src/daemon/webhook-component.js';
import type { HttpListener } from '../../src/daemon/http/http-listener.js';
import { STATUS_PATH } from '../../src/daemon/http/twilio-routes.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { newSid } from '../../src/sandbox/twilio-sim-messages.js';
import { postSignedForm } from '../../src/sandbox/twilio-webhook.js';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0);
const PUBLIC_URL = 'https://coach.example.com/rolplay';
const SAM = '+14155550100';
const ADMIN = '+14155550199';

/** POST /twilio-status on the daemon's own listener, signed as Twilio signs it (over the public URL). */
describe.each(backends)('Twilio status callback route (%s)', (backend) => {
  let t: TestStore;
  let twilio: TwilioSim;
  let app: App;
  let http: HttpListener;
  let clock: FakeClock;
  let userId: number;

  beforeEach(async () => {
    t = await freshStore(backend);
    clock = new FakeClock(T0);
    twilio = await startTwilioSimulator({ now: () => clock.now() });
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, publicUrl: PUBLIC_URL },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      admin: { whatsapp: ADMIN },
    });
    app = await buildApp({ config, logger: silentLogger(), clock, store: t.store });
    http = createWebhookComponent(app);
    await http.start();
    userId = (await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam Seller', phone: SAM, timezone: 'UTC' }, T0)).user.id;
  });
  afterEach(async () => {
    await http.stop();
    await app.close();
    await twilio.close();
    await t.dispose();
  });

  async function sent(kind = 'chat'): Promise<string> {
    const sid = newSid('SM');
    await t.store.messages.record({ direction: 'out', userId, meetingId: null, phone: SAM, body: 'hello', twilioSid: sid, kind }, clock.now());
    return sid;
  }

  function callback(sid: string, status: string, extra: Record<string, string> = {}, signature?: string | null) {
    const params: Record<string, string> = {
      AccountSid: twilio.accountSid, ApiVersion: '2010-04-01', ChannelPrefix: 'whatsapp', From: 'whatsapp:+14155238886', To: `whatsapp:${SAM}`,
      MessageSid: sid, MessageStatus: status, SmsSid: sid, SmsStatus: status, ...extra,
    };
    for (const [k, v] of Object.entries(params)) if (v === '') delete params[k];
    return postSignedForm({ url: `${http.url()}${STATUS_PATH}`, publicUrl: `${PUBLIC_URL}${STATUS_PATH}`, params, authToken: twilio.authToken, signature });
  }

  const statusOf = async (sid: string) => {
    const row = await t.store.messages.bySid(sid);
    return [row?.delivery_status, row?.error_code];
  };
  const failureJobs = () => t.store.jobs.list({ kind: 'delivery_failure' });

  it('sets the public StatusCallback on every message it sends', async () => {
    await app.services.messenger!.send({ to: SAM, body: 'hi' });
    expect(twilio.messages[0]!.statusCallback).toBe(`${PUBLIC_URL}${STATUS_PATH}`);
  });

  it('refuses a forged, unsigned or tampered callback with 403 and changes nothing', async () => {
    const sid = await sent();
    expect((await callback(sid, 'failed', { ErrorCode: '63016' }, 'Zm9yZ2Vk')).status).toBe(403);
    expect((await callback(sid, 'failed', { ErrorCode: '63016' }, null)).status).toBe(403);
    const tampered = await postSignedForm({
      url: `${http.url()}${STATUS_PATH}`, publicUrl: `${PUBLIC_URL}${STATUS_PATH}`, authToken: twilio.authToken,
      params: { MessageSid: sid, MessageStatus: 'delivered' }, tamper: (p) => ({ ...p, MessageStatus: 'failed', ErrorCode: '63016' }),
    });
    expect(tampered.status).toBe(403);
    // Signed over the webhook's URL instead of the status callback's: not what Twilio signed.
    const wrongUrl = await postSignedForm({ url: `${http.url()}${STATUS_PATH}`, publicUrl: `${PUBLIC_URL}/whatsapp-webhook`, authToken: twilio.authToken, params: { MessageSid: sid, MessageStatus: 'failed' } });
    expect(wrongUrl.status).toBe(403);
    expect(await statusOf(sid)).toEqual([null, null]);
    expect(await failureJobs()).toHaveLength(0);
  });

  it('answers 200 to an unknown MessageSid and writes nothing', async () => {
    const res = await callback(newSid('SM'), 'failed', { ErrorCode: '63016' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect((await t.store.health.tableCounts()).messages).toBe(0);
    expect(await t.store.jobs.list()).toHaveLength(0);
  });

  it('answers 400 to malformed fields', async () => {
    const sid = await sent();
    expect((await callback('', 'delivered')).status).toBe(400);
    expect((await callback('SM123', 'delivered')).status).toBe(400);
    expect((await callback(sid, '')).status).toBe(400);
    expect((await callback(sid, 'exploded')).status).toBe(400);
    expect((await callback(sid, 'toString')).status).toBe(400);
    expect((await callback(sid, 'failed', { ErrorCode: 'sixty' })).status).toBe(400);
    expect((await callback(sid, 'delivered', { AccountSid: `AC${'1'.repeat(32)}` })).status).toBe(400);
    expect(await statusOf(sid)).toEqual([null, null]);
  });

  it('moves a status forward only: repeated and out-of-order callbacks change nothing', async () => {
    const sid = await sent();
    for (const status of ['sent', 'read', 'delivered', 'sent', 'queued']) expect((await callback(sid, status)).status).toBe(200);
    expect(await statusOf(sid)).toEqual(['read', null]);
    // A failure after delivery is not believed: the phone has the message.
    await callback(sid, 'failed', { ErrorCode: '30008' });
    expect(await statusOf(sid)).toEqual(['read', null]);
    expect(await failureJobs()).toHaveLength(0);

    const failed = await sent('plan');
    await callback(failed, 'sent');
    await callback(failed, 'failed', { ErrorCode: '63016' });
    await callback(failed, 'failed', { ErrorCode: '63016' });
    await callback(failed, 'delivered', { ErrorCode: '' });
    await callback(failed, 'read');
    expect(await statusOf(failed)).toEqual(['failed', 63016]);
    expect(await failureJobs()).toHaveLength(1);
  });

  it('tells the admin about other error codes once per code a day, without resending', async () => {
    const a = await sent('chat');
    const b = await sent('reply');
    const c = await sent('chat');
    await callback(a, 'undelivered', { ErrorCode: '63024' });
    await callback(b, 'failed', { ErrorCode: '63024' });
    await callback(c, 'failed', { ErrorCode: '30008' });
    await app.runner.runDue();
    await app.runner.runDue();
    // The jobs run side by side: the two alerts may go out in either order.
    const alerts = () => twilio.sentTo(ADMIN).map((m) => m.body).sort();
    expect(alerts()).toHaveLength(2);
    expect(alerts()[0]).toContain('Twilio error 30008');
    expect(alerts()[1]).toContain('Twilio error 63024');
    expect(alerts()[1]).toContain('rolplay user add --phone');
    expect(twilio.sentTo(SAM)).toHaveLength(0);
    expect(await statusOf(b)).toEqual(['failed', 63024]);

    // The next day the same code is worth telling again.
    await clock.advance(86_400_000);
    await callback(await sent('chat'), 'failed', { ErrorCode: '63024' });
    await app.runner.runDue();
    await app.runner.runDue();
    expect(alerts()).toHaveLength(3);
  });

  it('does not alert about an admin alert that was not delivered', async () => {
    const sid = newSid('SM');
    await t.store.messages.record({ direction: 'out', userId: null, meetingId: null, phone: ADMIN, body: 'rolplay: x', twilioSid: sid, kind: 'admin' }, clock.now());
    await callback(sid, 'failed', { ErrorCode: '63016' });
    await app.runner.runDue();
    expect(twilio.messages).toHaveLength(0);
    expect((await failureJobs())[0]!.status).toBe('done');
  });
});
