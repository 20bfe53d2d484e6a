import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { silentLogger } from '../../src/support/logger.js';
import { buildApp } from '../../src/daemon/build-app.js';
import { buildDaemonComponents } from '../../src/daemon/daemon-components.js';
import type { HttpListener } from '../../src/daemon/http/http-listener.js';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { sendInboundWhatsApp } from '../../src/sandbox/twilio-webhook.js';
import { HELP_TEXT } from '../../src/lifecycle/whatsapp/conversation-commands.js';
import { freshStore, type TestStore } from '../helpers/stores.js';

let t: TestStore | undefined;
let twilio: TwilioSim | undefined;
let daemon: Daemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  await twilio?.close();
  await t?.dispose();
});

describe('rolplay start serves the WhatsApp webhook', () => {
  it('listens on server.host/port, acknowledges at once and replies through the Messages API', async () => {
    t = await freshStore();
    twilio = await startTwilioSimulator();
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, publicUrl: 'https://coach.example.com/' },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
    });
    const app = await buildApp({ config, logger: silentLogger(), store: t.store });
    await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam', phone: '+14155550100', timezone: 'UTC' }, Date.now());
    const http = buildDaemonComponents(app).find((c) => c.name === 'http') as HttpListener;
    daemon = await startDaemon(app, { components: [http] });

    const health = await fetch(`${http.url()}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const res = await sendInboundWhatsApp({
      url: `${http.url()}/whatsapp-webhook`, publicUrl: 'https://coach.example.com/whatsapp-webhook',
      authToken: twilio.authToken, accountSid: twilio.accountSid, from: '+14155550100', body: 'help',
    });
    expect(res.status).toBe(200);
    // The reply is asynchronous: wait for the runner (woken by the enqueue) to send it.
    const deadline = Date.now() + 5000;
    while (twilio.sentTo('+14155550100').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(twilio.sentTo('+14155550100')[0]?.body).toContain(HELP_TEXT);
  });
});
