import { configSchema } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { buildApp, type App } from '../../src/daemon/build-app.js';
import { createWebhookComponent } from '../../src/daemon/webhook-component.js';
import type { HttpListener } from '../../src/daemon/http/http-listener.js';
import { WEBHOOK_PATH } from '../../src/daemon/http/twilio-routes.js';
import { createTwilioMessenger } from '../../src/clients/twilio/create-twilio-messenger.js';
import type { Messenger } from '../../src/clients/twilio/messenger.js';
import { startHubspotSimulator, type HubspotSim } from '../../src/sandbox/hubspot-simulator.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { sendInboundWhatsApp, type PostResult } from '../../src/sandbox/twilio-webhook.js';
import { oggOpusFile } from '../../src/sandbox/ogg-opus-file.js';
import type { MeetingRow, UserRow } from '../../src/store/database.js';
import { freePort } from '../../src/support/free-port.js';
import { freshStore, type TestStore } from './stores.js';

export const T0 = Date.UTC(2026, 0, 5, 10, 28, 0);
export const MIN = 60_000;
const PUBLIC_URL = 'https://coach.example.com';
export const PHONE = '+14155550100';
/** How far the fake clock moves after a message: past the runner's next looks at the job table. */
export const SETTLE_MS = 20_000;

/**
 * The daemon's object graph (buildApp) with its own webhook listener and job runner on a fake
 * clock, the real twilio, @google/genai and @hubspot/api-client clients against their
 * simulators, a salesperson, and ways to send signed WhatsApp messages: text, or a voice note
 * whose media the Twilio simulator serves (Basic auth, a 307 to a pre-signed CDN path) and whose
 * words the Gemini simulator reads from the Ogg file.
 */
export interface VoiceWorld {
  t: TestStore;
  clock: FakeClock;
  twilio: TwilioSim;
  gemini: GeminiSim;
  hub: HubspotSim;
  app: App;
  user: UserRow;
  /** A meeting of the salesperson with Ann Lee (Acme), ending at T0 + 2 min. */
  meeting(status?: MeetingRow['status']): Promise<MeetingRow>;
  /** A signed webhook with a voice note saying `transcript` (none: unintelligible); jobs then run. */
  voice(transcript: string | undefined, options?: { seconds?: number; bytes?: Buffer; contentType?: string; stall?: boolean; params?: Record<string, string> }): Promise<PostResult & { mediaSid: string }>;
  /** A signed webhook with fields of the test's choosing, answered before any job runs. */
  post(params: Record<string, string>): Promise<PostResult>;
  text(body: string): Promise<PostResult>;
  /** Bodies of the WhatsApp messages sent to the salesperson, in order. */
  replies(): string[];
  advance(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export interface VoiceWorldOptions {
  backend?: 'sqlite' | 'postgres';
  language?: 'en' | 'es';
  /** Replaces the daemon's Messenger (a shorter media deadline, other credentials). */
  messenger?: (config: { accountSid: string; authToken: string; apiBaseUrl: string }) => Messenger;
  /**
   * conversation.voiceReplies. When set, server.publicUrl is the listener's own loopback
   * address, so the Twilio simulator fetches the spoken replies from the daemon's /media route.
   */
  voiceReplies?: 'roleplay' | 'always';
}

export async function createVoiceWorld(options: VoiceWorldOptions = {}): Promise<VoiceWorld> {
  const t = await freshStore(options.backend ?? 'sqlite');
  const clock = new FakeClock(T0);
  const twilio = await startTwilioSimulator({ now: () => clock.now() });
  const gemini = await startGeminiSimulator();
  const hub = await startHubspotSimulator();
  const port = options.voiceReplies ? await freePort() : 0;
  const publicUrl = options.voiceReplies ? `http://127.0.0.1:${port}` : PUBLIC_URL;
  const config = configSchema.parse({
    server: { host: '127.0.0.1', port, publicUrl },
    ...(options.voiceReplies ? { conversation: { voiceReplies: options.voiceReplies } } : {}),
    twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url, whatsappFrom: 'whatsapp:+14155238886' },
    hubspot: { accessToken: hub.token, basePath: hub.url },
    gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
    schedule: { reminderDelayMinutes: 1, nudgeAfterHours: 4 },
  });
  const messenger = options.messenger?.({ accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url })
    ?? createTwilioMessenger({ accountSid: twilio.accountSid, authToken: twilio.authToken, whatsappFrom: config.twilio.whatsappFrom, apiBaseUrl: twilio.url, media: { timeoutMs: 2000 } }, silentLogger());
  const app = await buildApp({ config, logger: silentLogger(), clock, store: t.store, clients: { messenger } });
  const web: HttpListener = createWebhookComponent(app);
  await web.start();
  app.runner.start();
  let { user } = await t.store.users.upsert({ email: 'sam@seller.example', name: 'Sam Seller', phone: PHONE, timezone: 'UTC' }, T0);
  if (options.language) {
    await t.store.db.updateTable('users').set({ language: options.language }).where('id', '=', user.id).execute();
    user = (await t.store.users.byId(user.id))!;
  }

  const advance = (ms = 0) => drive(clock, t.store, ms);
  const post = (params: Record<string, string>) => sendInboundWhatsApp({
    url: `${web.url()}${WEBHOOK_PATH}`, publicUrl: `${publicUrl}${WEBHOOK_PATH}`,
    authToken: twilio.authToken, accountSid: twilio.accountSid, from: PHONE, body: params.Body ?? '', messageSid: params.MessageSid, extra: params,
  });
  return {
    t, clock, twilio, gemini, hub, app, user, advance, post,
    async meeting(status = 'plan_sent') {
      const ann = await t.store.clients.upsert({ email: 'ann@acme.example', name: 'Ann Lee', company: 'Acme' }, T0);
      const meeting = await t.store.meetings.insert({
        event_id: `evt-${Math.random().toString(36).slice(2)}`, source: 'graph', title: 'Quarterly review', body_preview: 'Renewal and the analytics add-on.',
        start_at: T0 - 28 * MIN, end_at: T0 + 2 * MIN, organizer_email: user.email, user_id: user.id, status, created_at: T0, updated_at: T0,
      });
      await t.store.clients.setForMeeting(meeting.id, [ann.id]);
      return meeting;
    },
    async voice(transcript, o = {}) {
      const bytes = o.bytes ?? oggOpusFile({ seconds: o.seconds ?? 4, transcript });
      const media = twilio.addMedia({ contentType: o.contentType ?? 'audio/ogg', bytes, stall: o.stall });
      const answer = await post({ ...media.params, MessageSid: media.messageSid, ...o.params });
      await advance(SETTLE_MS);
      return { ...answer, mediaSid: media.mediaSid };
    },
    async text(body) {
      const answer = await post({ Body: body });
      await advance(SETTLE_MS);
      return answer;
    },
    replies: () => twilio.sentTo(PHONE).map((m) => m.body),
    async close() {
      await web.stop();
      await app.close();
      await t.dispose();
      await twilio.close();
      await gemini.close();
      await hub.close();
    },
  };
}

/**
 * Moves the fake clock `ms` forward at most a second at a time, letting running jobs finish
 * their real I/O at each step, then waits for what is due at the end. Written when a reply's
 * send job, released when the inbound job holding the conversation's queue key finished, was
 * sometimes claimed only on the runner's lease check a second later (fixed in JobRunner.wake's
 * `keyed`; test/daemon/job-runner.test.ts); stepping the clock stays robust to such waits.
 */
async function drive(clock: FakeClock, store: TestStore['store'], ms: number): Promise<void> {
  const target = clock.now() + ms;
  const running = async () => (await store.db.selectFrom('jobs').select('id').where('status', '=', 'running').executeTakeFirst()) !== undefined;
  const due = async () => (await store.db.selectFrom('jobs').select('id').where('status', '=', 'pending').where('run_at', '<=', clock.now()).executeTakeFirst()) !== undefined;
  // A job may be running on the fake clock itself (a model's retry back-off): after `patience`
  // real waits the clock moves on regardless.
  const quiet = async (patience: number) => {
    for (let i = 0, still = 0; i < patience && still < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, i < 10 ? 0 : 3));
      await clock.advance(0);
      still = (await running()) ? 0 : still + 1;
    }
  };
  while (clock.now() < target) {
    await quiet(100);
    const nextTimer = clock.nextTimerAt() ?? target;
    await clock.advance(Math.max(1, Math.min(1000, target - clock.now(), nextTimer - clock.now())));
  }
  for (let extra = 0; extra < 5; extra++) {
    await quiet(3000);
    if (!(await running()) && !(await due())) return;
    await clock.advance(1000);
  }
}
