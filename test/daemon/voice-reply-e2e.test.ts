import { afterEach, describe, expect, it } from 'vitest';
import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger, type Logger } from '../../src/support/logger.js';
import { freePort } from '../../src/support/free-port.js';
import { buildApp, type App } from '../../src/daemon/build-app.js';
import { createWebhookComponent } from '../../src/daemon/webhook-component.js';
import type { HttpListener } from '../../src/daemon/http/http-listener.js';
import { roleplayTurn } from '../../src/lifecycle/coaching/roleplay.js';
import { coachReply } from '../../src/lifecycle/coaching/coach-reply.js';
import type { InboundTurn } from '../../src/lifecycle/whatsapp/inbound-context.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { sendInboundWhatsApp } from '../../src/sandbox/twilio-webhook.js';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';
import { captureLogger } from '../helpers/log-capture.js';
import { walkMp3 } from '../helpers/mp3-frames.js';

const SAM = '+14155550100';

/**
 * Voice replies out, end to end: the real HTTP listener, job runner, twilio and @google/genai
 * SDKs against the simulators. `spoken()` builds the turn handle_inbound makes of a transcribed
 * voice note (InboundTurn.voice = true) and hands it to the use case, so each case here scripts
 * only the reply; voice-roundtrip-e2e.test.ts sends a real voice note through the webhook.
 */
interface World {
  t: TestStore;
  app: App;
  http: HttpListener;
  twilio: TwilioSim;
  gemini: GeminiSim;
  clock: FakeClock;
  publicUrl: string;
  meetingId: number;
  close(): Promise<void>;
}

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function world(backend: 'sqlite' | 'postgres', extra: ConfigInput = {}, logger: Logger = silentLogger()): Promise<World> {
  const t = await freshStore(backend);
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 9, 0));
  const twilio = await startTwilioSimulator({ now: () => clock.now() });
  const gemini = await startGeminiSimulator();
  // Twilio fetches the clip from server.publicUrl: here the daemon's own loopback address.
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const config = configSchema.parse({
    ...extra,
    server: { host: '127.0.0.1', port, publicUrl, ...extra.server },
    twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
    gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
  });
  const app = await buildApp({ config, logger, clock, store: t.store });
  const http = createWebhookComponent(app);
  await http.start();
  const user = (await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam Seller', phone: SAM, timezone: 'Europe/Madrid' }, clock.now())).user;
  const meeting = await t.store.meetings.insert({
    event_id: 'evt-acme', source: 'graph', title: 'Acme renewal', body_preview: 'Renewal and the analytics add-on.',
    start_at: clock.now() + 26 * 3_600_000, end_at: clock.now() + 27 * 3_600_000, organizer_email: 'sam@example.com',
    user_id: user.id, status: 'scheduled', created_at: clock.now(), updated_at: clock.now(),
  });
  const ann = await t.store.clients.upsert({ email: 'ann@acme.example', name: 'Ann Lee', company: 'Acme' }, clock.now());
  await t.store.clients.setForMeeting(meeting.id, [ann.id]);
  return {
    t, app, http, twilio, gemini, clock, publicUrl, meetingId: meeting.id,
    async close() {
      await http.stop();
      await app.close();
      await twilio.close();
      await gemini.close();
      await t.dispose();
    },
  };
}

async function typed(world: World, body: string): Promise<void> {
  const res = await sendInboundWhatsApp({ url: `${world.publicUrl}/whatsapp-webhook`, authToken: world.twilio.authToken, accountSid: world.twilio.accountSid, from: SAM, body });
  expect(res.status).toBe(200);
  await world.app.runner.runDue();
}

let sids = 0;
/** A voice note's transcript reaching the conversation, as handle_inbound passes it on (voice: true). */
async function spoken(world: World, transcript: string): Promise<void> {
  const { store } = world.t;
  const user = (await store.users.byPhone(SAM))!;
  const state = await store.conversations.get(user.id);
  const inRoleplay = state?.mode === 'roleplay' && state.roleplay_meeting_id !== null;
  const meeting = await store.meetings.byId(inRoleplay ? state.roleplay_meeting_id! : world.meetingId);
  const message = (await store.messages.record({ direction: 'in', userId: user.id, meetingId: meeting?.id ?? null, phone: SAM, body: transcript, twilioSid: `SMvoice${(++sids).toString().padStart(27, '0')}`, kind: inRoleplay ? 'roleplay' : 'chat' }, world.clock.now()))!;
  const turn: InboundTurn = { services: world.app.services, user, message, intent: { kind: 'text', text: transcript }, meeting: meeting ?? undefined, readCrm: undefined, voice: true };
  if (inRoleplay) await roleplayTurn(turn, state!);
  else await coachReply(turn);
  await world.app.runner.runDue();
}

const lastToSam = (world: World) => world.twilio.sentTo(SAM).at(-1)!;
const speechCalls = (world: World) => world.gemini.calls.filter((c) => Array.isArray(c.generationConfig.responseModalities));

describe.each(backends)('voice replies (%s)', (backend) => {
  it('roleplay: the client answers a spoken turn with a voice note and its text, which Twilio fetches from the daemon\'s /media route', async () => {
    w = await world(backend, { conversation: { voiceReplies: 'roleplay' } });
    await typed(w, 'roleplay');
    expect(lastToSam(w).mediaUrls).toEqual([]);
    w.gemini.script({ text: 'Honestly, the price worries me more than the features.' });
    await spoken(w, 'Hi Ann, what matters most to you in this renewal?');

    const sent = lastToSam(w);
    expect(sent.body).toBe('Honestly, the price worries me more than the features.');
    expect(sent.numMedia).toBe(1);
    const mediaUrl = sent.mediaUrls![0]!;
    expect(mediaUrl).toMatch(new RegExp(`^${w.publicUrl}/media/[A-Za-z0-9_-]{24}$`));
    await w.twilio.mediaFetched();
    expect(sent.media).toEqual([{ url: mediaUrl, status: 200, headStatus: 200, contentType: 'audio/mpeg', size: expect.any(Number) }]);
    expect(sent.media![0]!.size).toBeGreaterThan(1000);
    // What Twilio fetched is a playable MP3 of the client's line, asked of the speech model by voice.
    const clip = new Uint8Array(await (await fetch(mediaUrl)).arrayBuffer());
    expect(walkMp3(clip)).toMatchObject({ sampleRate: 24_000, channels: 1 });
    const call = speechCalls(w).at(-1)!;
    expect(call.model).toBe('gemini-3.8-flash-lite-tts');
    expect(call.contents[0]!.text).toBe('Honestly, the price worries me more than the features.');
    expect(call.generationConfig.speechConfig).toEqual({ voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } }, languageCode: 'en' });
    await w.twilio.settle();
    expect(sent.status).toBe('delivered');

    // A typed turn gets text; so does the coach, outside the role-play, in "roleplay" mode.
    await typed(w, 'And if we add the analytics module?');
    expect(lastToSam(w).mediaUrls).toEqual([]);
    await typed(w, 'stop');
    await spoken(w, 'How did I do on objections?');
    expect(lastToSam(w).mediaUrls).toEqual([]);
    expect(speechCalls(w)).toHaveLength(1);
  });

  it('always: the coach\'s answer to a voice note is spoken too', async () => {
    w = await world(backend, { conversation: { voiceReplies: 'always' } });
    await spoken(w, 'What should I open with tomorrow?');
    expect(lastToSam(w).numMedia).toBe(1);
    await w.twilio.mediaFetched();
    expect(lastToSam(w).media![0]).toMatchObject({ status: 200, contentType: 'audio/mpeg' });
  });

  it('off (the default): a spoken turn gets text only, and no speech is asked for', async () => {
    w = await world(backend);
    await typed(w, 'roleplay');
    await spoken(w, 'Hi Ann, shall we talk about the renewal?');
    expect(lastToSam(w)).toMatchObject({ numMedia: 0, mediaUrls: [] });
    expect(lastToSam(w).body).not.toBe('');
    expect(speechCalls(w)).toHaveLength(0);
    expect(w.app.services.speech).toBeUndefined();
  });

  it('when speech fails, the reply goes as text alone and the failure is logged once', async () => {
    const log = captureLogger('info');
    w = await world(backend, { conversation: { voiceReplies: 'roleplay' } }, log.logger);
    await typed(w, 'roleplay');
    w.gemini.script({ text: 'We are happy with our current vendor.' }, { error: 500 });
    await spoken(w, 'Why not switch to us this year?');
    expect(lastToSam(w)).toMatchObject({ body: 'We are happy with our current vendor.', numMedia: 0 });
    const warnings = log.records().filter((r) => r.msg === 'could not speak the reply; it goes as text only');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]!.err)).toMatch(/server error \(HTTP 500\)/);
    expect(await w.t.store.db.selectFrom('voice_media').select('id').execute()).toEqual([]);
  });

  it('a send retried after the clip\'s 15 minutes renews it for Twilio\'s fetch; a clip deleted meanwhile is left out', async () => {
    const log = captureLogger('info');
    w = await world(backend, { conversation: { voiceReplies: 'roleplay' } }, log.logger);
    await typed(w, 'roleplay');
    // Twilio throttles the send for 20 minutes: the clip has expired by the retry.
    w.twilio.throttleNext(1, 1200);
    w.gemini.script({ text: 'Send me a proposal first.' });
    await spoken(w, 'Can we book a demo?');
    expect(w.twilio.sentTo(SAM).filter((m) => m.body === 'Send me a proposal first.')).toHaveLength(0);
    await w.clock.advance(1_200_000);
    await w.app.runner.runDue();
    expect(lastToSam(w)).toMatchObject({ body: 'Send me a proposal first.', numMedia: 1 });
    await w.twilio.mediaFetched();
    expect(lastToSam(w).media![0]!.status).toBe(200);

    w.twilio.throttleNext(1, 1200);
    w.gemini.script({ text: 'What would it cost us?' });
    await spoken(w, 'Shall I send it today?');
    // Expired rows are deleted when another clip is stored; here, straight away.
    await w.t.store.db.deleteFrom('voice_media').execute();
    await w.clock.advance(1_200_000);
    await w.app.runner.runDue();
    expect(lastToSam(w)).toMatchObject({ body: 'What would it cost us?', numMedia: 0 });
    expect(log.records().filter((r) => r.msg === 'a voice reply goes as text only: its audio expired before the send')).toHaveLength(1);
  });
});
