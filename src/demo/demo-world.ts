import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../config/schema.js';
import { FakeClock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import { openStore, type Store } from '../store/open-store.js';
import { buildApp, type App } from '../daemon/build-app.js';
import { createWebhookComponent } from '../daemon/webhook-component.js';
import type { HttpListener } from '../daemon/http/http-listener.js';
import { WEBHOOK_PATH } from '../daemon/http/twilio-routes.js';
import { createCalendarIngest, type CalendarIngest } from '../lifecycle/calendar/ingest-calendar.js';
import { startMicrosoftTokenSimulator, type TokenSim } from '../sandbox/microsoft-token-simulator.js';
import { startGraphSimulator, type GraphSim } from '../sandbox/graph-simulator.js';
import { startTwilioSimulator, type TwilioSim } from '../sandbox/twilio-simulator.js';
import { startHubspotSimulator, type HubspotSim } from '../sandbox/hubspot-simulator.js';
import { startGeminiSimulator, type GeminiSim } from '../sandbox/gemini-simulator.js';
import { sendInboundWhatsApp } from '../sandbox/twilio-webhook.js';
import { oggOpusFile } from '../sandbox/ogg-opus-file.js';

export const DEMO_BOT = 'coach-bot@demo-company.example';
const PUBLIC_URL = 'https://coach.demo-company.example';

/**
 * Everything `rolplay demo` runs on: a temporary SQLite store, the five simulators on loopback
 * ports, the real composition root (real SDK clients pointed at the simulators), the daemon's
 * own webhook listener, and a fake clock the demo moves forward: hours pass in milliseconds.
 */
export interface DemoWorld {
  clock: FakeClock;
  store: Store;
  app: App;
  web: HttpListener;
  ingest: CalendarIngest;
  tokens: TokenSim;
  graph: GraphSim;
  twilio: TwilioSim;
  hubspot: HubspotSim;
  /** Absent when the real Gemini writes the text. */
  gemini?: GeminiSim;
  /** Runs every job due now, again and again until none is left (replies queue more sends). */
  settle(): Promise<void>;
  /** Moves the clock forward, then runs what fell due. */
  advance(ms: number): Promise<void>;
  /** Sends a signed WhatsApp message from `from` to the daemon's webhook, as Twilio would. */
  whatsAppFrom(from: string, body: string): Promise<void>;
  /**
   * The same with a voice note: the Twilio simulator holds its media (a silent Ogg Opus file
   * whose tags carry `words`, which the Gemini simulator reads back as the transcript).
   */
  voiceNoteFrom(from: string, words: string): Promise<void>;
  close(): Promise<void>;
}

export interface DemoWorldOptions {
  start: number;
  logger: Logger;
  /** A real Gemini API key: the text comes from Gemini instead of the simulator. */
  geminiApiKey?: string;
  geminiModel?: string;
}

export async function createDemoWorld(options: DemoWorldOptions): Promise<DemoWorld> {
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  const close = async () => {
    for (const fn of cleanup.reverse()) await Promise.resolve().then(fn).catch(() => undefined);
  };
  try {
    const clock = new FakeClock(options.start);
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-demo-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = await openStore({ sqlitePath: join(dir, 'rolplay.db') });
    cleanup.push(() => store.close());
    // MSAL checks token lifetimes against the real clock, so the token endpoint keeps real time.
    const tokens = await startMicrosoftTokenSimulator();
    cleanup.push(() => tokens.close());
    const graph = await startGraphSimulator({ botEmail: DEMO_BOT, tokens, now: () => clock.now() });
    cleanup.push(() => graph.close());
    const twilio = await startTwilioSimulator({ now: () => clock.now(), friendlyName: 'Demo Company' });
    cleanup.push(() => twilio.close());
    const hubspot = await startHubspotSimulator({ now: () => clock.now() });
    cleanup.push(() => hubspot.close());
    const gemini = options.geminiApiKey ? undefined : await startGeminiSimulator();
    if (gemini) cleanup.push(() => gemini.close());

    const config = configSchema.parse({
      bot: { email: DEMO_BOT },
      server: { host: '127.0.0.1', port: 0, publicUrl: PUBLIC_URL },
      microsoft: {
        tenantId: tokens.tenantId, clientId: tokens.clientId, clientSecret: tokens.clientSecret,
        authorityHost: tokens.url, graphBaseUrl: graph.url, internalDomains: ['demo-company.example'],
      },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      hubspot: { accessToken: hubspot.token, basePath: hubspot.url },
      gemini: gemini
        ? { apiKey: gemini.apiKey, baseUrl: gemini.url }
        : { apiKey: options.geminiApiKey, ...(options.geminiModel ? { model: options.geminiModel } : {}) },
      schedule: { planLeadHours: 0, reminderDelayMinutes: 1 },
    });
    const app = await buildApp({ config, logger: options.logger, clock, store });
    cleanup.push(() => app.close());
    const web = createWebhookComponent(app);
    await web.start();
    cleanup.push(() => web.stop());
    const calendar = app.services.calendar;
    if (!calendar) throw new Error('the Microsoft Graph client was not built from the demo config');
    const ingest = createCalendarIngest({ ...app.services, calendar });

    const settle = async () => {
      for (let round = 0; round < 50; round++) {
        // Webhook jobs are committed in a batch on the next turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        if ((await app.runner.runDue()) === 0) return;
      }
    };
    const post = async (from: string, body: string, extra?: Record<string, string>) => {
      const result = await sendInboundWhatsApp({
        url: `${web.url()}${WEBHOOK_PATH}`, publicUrl: `${PUBLIC_URL}${WEBHOOK_PATH}`,
        authToken: twilio.authToken, accountSid: twilio.accountSid, from, body, profileName: 'Sara', messageSid: extra?.MessageSid, extra,
      });
      if (result.status !== 200) throw new Error(`the webhook answered ${result.status} to a signed message`);
      await settle();
    };
    return {
      clock, store, app, web, ingest, tokens, graph, twilio, hubspot, gemini, settle, close,
      async advance(ms) {
        await clock.advance(ms);
        await settle();
      },
      async whatsAppFrom(from, body) {
        await post(from, body);
      },
      async voiceNoteFrom(from, words) {
        const media = twilio.addMedia({ contentType: 'audio/ogg', bytes: oggOpusFile({ seconds: Math.max(2, Math.round(words.length / 15)), transcript: words }) });
        await post(from, '', { ...media.params, MessageSid: media.messageSid });
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
