import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { receiveInbound } from '../../src/lifecycle/whatsapp/receive-inbound.js';
import type { InboundPayload } from '../../src/lifecycle/jobs/job-kinds.js';
import { verifyTwilioSignature } from '../../src/clients/twilio/verify-signature.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { inboundWhatsAppParams, signTwilioRequest } from '../../src/sandbox/twilio-webhook.js';
import { coachingWorld, type CoachingWorld } from '../helpers/coaching-world.js';
import { fixtureNames, loadFixture, shapeDifferences } from '../helpers/provider-fixtures.js';
import { en } from '../../src/domain/messages/en.js';

const PUBLIC = 'https://coach.example.com/whatsapp-webhook';
const TOKEN = '12345678901234567890123456789012';

let sim: TwilioSim | undefined;
let w: CoachingWorld | undefined;
let hook: Server | undefined;
afterEach(async () => {
  await sim?.close();
  await w?.close();
  if (hook) await new Promise<void>((r) => hook!.close(() => r()));
  sim = w = hook = undefined;
});

const form = (name: string) => loadFixture('twilio', name).form!;
const body = (name: string) => loadFixture('twilio', name).body;

/** What rolplay's webhook hands the lifecycle for a fixture form (the job payload it queues). */
async function parsed(name: string): Promise<InboundPayload> {
  let payload: InboundPayload | undefined;
  const config = { twilio: { accountSid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' }, jobs: { maxAttempts: 8 }, conversation: {}, database: { url: '' } } as never;
  const result = await receiveInbound({ config, queue: undefined as never, clock: { now: () => 0 } as never }, form(name), async (request) => {
    payload = request.payload as unknown as InboundPayload;
    return { job: { id: 1 } as never, created: true };
  });
  expect(result).toEqual({ status: 'queued', jobId: 1 });
  return payload!;
}

describe('Twilio contract fixtures', () => {
  it('every fixture names its source', () => {
    const names = fixtureNames('twilio');
    expect(names.length).toBeGreaterThanOrEqual(18);
    for (const name of names) expect(loadFixture('twilio', name).source).toMatch(/twilio/i);
  });

  it('rolplay reads each inbound form: text, voice note, image, button reply, quoted reply', async () => {
    expect(await parsed('inbound-text')).toEqual({ messageSid: 'SM' + '1'.repeat(32), from: 'whatsapp:+14155550100', body: 'How should I open the Acme call tomorrow?', numMedia: 0, profileName: 'Sam Seller' });
    expect(await parsed('inbound-voice-note')).toMatchObject({
      messageSid: 'MM' + '2'.repeat(32), body: '', numMedia: 1,
      media: { url: `https://api.twilio.com/2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages/MM${'2'.repeat(32)}/Media/ME${'2'.repeat(32)}`, contentType: 'audio/ogg' },
    });
    expect(await parsed('inbound-image')).toMatchObject({ body: '', numMedia: 1, media: { contentType: 'image/jpeg' } });
    expect(await parsed('inbound-button-reply')).toMatchObject({ body: 'Done', numMedia: 0, repliedToSid: 'SM' + 'a'.repeat(32) });
    expect(await parsed('inbound-quoted-reply')).toMatchObject({ body: 'It went well, they want a proposal by Friday.', repliedToSid: 'SM' + 'b'.repeat(32) });
  });

  it('a voice note with Twilio unconfigured asks to type or resend, an image says what rolplay reads; a text gets the coach', async () => {
    w = await coachingWorld();
    for (const name of ['inbound-voice-note', 'inbound-image']) {
      const result = await receiveInbound(w.services, form(name));
      expect(result.status).toBe('queued');
      await w.run();
    }
    expect(w.sent.map((s) => s.body)).toEqual([en.voice.couldNotFetch, en.voice.unsupportedMedia]);
    await receiveInbound(w.services, form('inbound-text'));
    await w.run();
    expect(w.sent).toHaveLength(3);
    expect(w.sent[2]!.kind).toBe('coach');
  });

  it('a signature computed over each form validates, and fails once a parameter changes', () => {
    for (const name of fixtureNames('twilio').filter((n) => loadFixture('twilio', n).form)) {
      const params = form(name);
      const signature = signTwilioRequest(TOKEN, PUBLIC, params);
      expect(verifyTwilioSignature({ authToken: TOKEN, signature, url: PUBLIC, params })).toBe(true);
      expect(verifyTwilioSignature({ authToken: TOKEN, signature, url: PUBLIC, params: { ...params, Body: `${params.Body ?? ''}!` } })).toBe(false);
    }
  });

  it('the sandbox posts an inbound form shaped like Twilio\'s', () => {
    const sandbox = inboundWhatsAppParams({ accountSid: 'AC' + 'a'.repeat(32), from: '+14155550100', body: 'hi' });
    expect(shapeDifferences(sandbox, form('inbound-text'))).toEqual([]);
  });
});

describe('the Twilio simulator answers in the fixtures\' shapes', () => {
  const auth = () => `Basic ${Buffer.from(`${sim!.accountSid}:${sim!.authToken}`).toString('base64')}`;
  const get = async (path: string) => {
    const res = await fetch(`${sim!.url}${path}`, { headers: { Authorization: auth() } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const post = async (fields: Record<string, string>) => {
    const res = await fetch(`${sim!.url}/2010-04-01/Accounts/${sim!.accountSid}/Messages.json`, { method: 'POST', headers: { Authorization: auth(), 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const text = { To: 'whatsapp:+14155550100', From: 'whatsapp:+14155238886', Body: 'Welcome to rolplay!' };

  it('create answers (free text, and a template through a Messaging Service)', async () => {
    sim = await startTwilioSimulator();
    const created = await post(text);
    expect(created.status).toBe(loadFixture('twilio', 'message-create').status);
    expect(shapeDifferences(created.json, body('message-create'))).toEqual([]);
    const mg = sim.addMessagingService(['whatsapp:+14155238886']);
    const template = await post({ ...text, Body: '', MessagingServiceSid: mg, ContentSid: 'HX' + 'a'.repeat(32), ContentVariables: '{"1":"Acme"}' });
    expect(shapeDifferences(template.json, body('message-create-template-via-service'))).toEqual([]);
    expect([template.json.body, template.json.num_segments]).toEqual(['', '0']);
  });

  it('a Messages list page', async () => {
    sim = await startTwilioSimulator();
    for (let i = 0; i < 3; i++) await post({ ...text, Body: `m${i}` });
    const page = await get(`/2010-04-01/Accounts/${sim.accountSid}/Messages.json?To=${encodeURIComponent(text.To)}&PageSize=2`);
    expect(page.status).toBe(200);
    // price is null until Twilio has priced the message (nullable in the spec).
    expect(shapeDifferences(page.json, body('messages-list-page'), { loose: ['messages[].price'] })).toEqual([]);
  });

  it('error bodies: 20404 and 21211', async () => {
    sim = await startTwilioSimulator();
    const missing = await get(`/2010-04-01/Accounts/${sim.accountSid}/Messages/SM${'0'.repeat(32)}.json`);
    expect(missing.status).toBe(404);
    expect(shapeDifferences(missing.json, body('error-20404'))).toEqual([]);
    const invalid = await post({ ...text, To: 'whatsapp:+1' });
    expect([invalid.status, invalid.json.code]).toEqual([400, 21211]);
    expect(shapeDifferences(invalid.json, body('error-21211'))).toEqual([]);
  });

  it('a Messaging Service, its ChannelSenders and a Content template', async () => {
    sim = await startTwilioSimulator();
    const mg = sim.addMessagingService(['whatsapp:+14155238886', 'messenger:104794531907950']);
    // The service's URLs and text are nullable: null when not set on the service.
    expect(shapeDifferences((await get(`/v1/Services/${mg}`)).json, body('messaging-service'), { loose: ['inbound_request_url', 'status_callback'] })).toEqual([]);
    expect(shapeDifferences((await get(`/v1/Services/${mg}/ChannelSenders`)).json, body('channel-senders'))).toEqual([]);
    sim.defineContent('HX' + 'a'.repeat(32), 'Your coaching plan for {{1}} is ready.', { 1: 'Acme renewal' });
    expect(shapeDifferences((await get(`/v1/Content/HX${'a'.repeat(32)}`)).json, body('content'))).toEqual([]);
  });

  it('inbound media: the Media resource, the redirect to a pre-signed CDN URL, the voice-note form the sandbox posts', async () => {
    sim = await startTwilioSimulator();
    const media = sim.addMedia({ contentType: 'audio/ogg', bytes: Buffer.from('OggS') });
    expect(shapeDifferences((await get(`${new URL(media.mediaUrl).pathname}.json`)).json, body('media-resource'))).toEqual([]);
    const redirect = await fetch(media.mediaUrl, { headers: { Authorization: auth() }, redirect: 'manual' });
    const fixture = loadFixture('twilio', 'media-redirect') as unknown as { status: number; headers: Record<string, string> };
    expect(redirect.status).toBe(fixture.status);
    expect(redirect.headers.get('content-type')).toBe(fixture.headers['content-type']);
    const location = new URL(redirect.headers.get('location')!);
    expect([...location.searchParams.keys()]).toEqual([...new URL(fixture.headers.location!).searchParams.keys()]);
    expect(location.pathname).toMatch(new RegExp(`^/twiliocdn/${sim.accountSid}/`));
    expect((await fetch(media.mediaUrl, { redirect: 'manual' })).status).toBe(401);
    const sandbox = inboundWhatsAppParams({ accountSid: sim.accountSid, from: '+14155550100', body: '', messageSid: media.messageSid, extra: media.params });
    expect(shapeDifferences(sandbox, form('inbound-voice-note'))).toEqual([]);
  });

  it('status callbacks: sent, delivered, read, failed 63016, undelivered', async () => {
    const received: Array<Record<string, string>> = [];
    hook = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push(Object.fromEntries(new URLSearchParams(raw)));
        res.end();
      });
    });
    await new Promise<void>((r) => hook!.listen(0, '127.0.0.1', r));
    sim = await startTwilioSimulator();
    const created = await post({ ...text, StatusCallback: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/status` });
    const sid = String(created.json.sid);
    for (const [name, status, errorCode] of [['status-sent', 'sent', null], ['status-delivered', 'delivered', null], ['status-read', 'read', null], ['status-failed-63016', 'failed', 63016], ['status-undelivered', 'undelivered', 30008]] as const) {
      await sim.postStatus(sid, { status, errorCode });
      const posted = received.at(-1)!;
      expect([name, shapeDifferences(posted, form(name))]).toEqual([name, []]);
      expect(posted.MessageStatus).toBe(form(name).MessageStatus);
    }
  });
});
