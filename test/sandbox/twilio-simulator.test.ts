import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { verifyTwilioSignature } from '../../src/clients/twilio/verify-signature.js';

let sim: TwilioSim;
let t = Date.parse('2026-03-02T10:00:00Z');
beforeEach(async () => {
  t = Date.parse('2026-03-02T10:00:00Z');
  sim = await startTwilioSimulator({ now: () => t, outsideWindow: ['+34699999999'], outsideWindowMode: 'fail-later' });
});
afterEach(async () => {
  await sim.close();
});

const auth = () => `Basic ${Buffer.from(`${sim.accountSid}:${sim.authToken}`).toString('base64')}`;
const messagesUrl = () => `${sim.url}/2010-04-01/Accounts/${sim.accountSid}/Messages.json`;

async function post(form: Record<string, string>, authorization = auth()) {
  const res = await fetch(messagesUrl(), { method: 'POST', headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

async function get(pathAndQuery: string) {
  const res = await fetch(`${sim.url}${pathAndQuery}`, { headers: { Authorization: auth() } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const text = { To: 'whatsapp:+34612345678', From: 'whatsapp:+14155238886', Body: 'hello' };

describe('Twilio simulator', () => {
  it('creates a message with the public JSON shape', async () => {
    const { status, json } = await post(text);
    expect(status).toBe(201);
    expect(json).toMatchObject({
      account_sid: sim.accountSid, to: text.To, from: text.From, body: 'hello', status: 'queued', error_code: null,
      num_segments: '1', num_media: '0', direction: 'outbound-api', api_version: '2010-04-01', date_sent: null,
      date_created: 'Mon, 02 Mar 2026 10:00:00 +0000',
    });
    expect(json.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(json.uri).toBe(`/2010-04-01/Accounts/${sim.accountSid}/Messages/${String(json.sid)}.json`);
    expect(sim.sentTo('+34612345678')).toHaveLength(1);
  });

  it('answers bad credentials with 401 and Twilio error 20003', async () => {
    const { status, json } = await post(text, `Basic ${Buffer.from(`${sim.accountSid}:wrong`).toString('base64')}`);
    expect(status).toBe(401);
    expect(json).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    expect((await post(text, '')).status).toBe(401);
  });

  it('validates like Twilio: 21211, 21617, 21619, 21656', async () => {
    expect((await post({ ...text, To: 'whatsapp:12345' })).json).toMatchObject({ code: 21211, status: 400 });
    expect((await post({ ...text, Body: 'x'.repeat(1601) })).json).toMatchObject({ code: 21617, status: 400 });
    expect((await post({ To: text.To, From: text.From })).json).toMatchObject({ code: 21619, status: 400 });
    const contentSid = 'HX' + '0'.repeat(32);
    expect((await post({ To: text.To, From: text.From, ContentSid: contentSid, ContentVariables: JSON.stringify({ 1: 'a\nb' }) })).json).toMatchObject({ code: 21656 });
    expect((await post({ To: text.To, From: text.From, ContentSid: contentSid, ContentVariables: JSON.stringify({ 1: 'Sara' }) })).status).toBe(201);
    expect(sim.messages).toHaveLength(1);
  });

  it('63016 at once in reject mode; templates still go out', async () => {
    await sim.close();
    sim = await startTwilioSimulator({ outsideWindow: ['+34699999999'] });
    const blocked = await post({ ...text, To: 'whatsapp:+34699999999' });
    expect(blocked.status).toBe(400);
    expect(blocked.json.code).toBe(63016);
    expect((await post({ To: 'whatsapp:+34699999999', From: text.From, ContentSid: 'HX' + '1'.repeat(32) })).status).toBe(201);
    sim.openWindow('whatsapp:+34699999999');
    expect((await post({ ...text, To: 'whatsapp:+34699999999' })).status).toBe(201);
  });

  it('63016 later in fail-later mode: queued, then failed with a signed status callback', async () => {
    const received: Array<{ valid: boolean; params: Record<string, string> }> = [];
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const params = Object.fromEntries(new URLSearchParams(body));
        received.push({ valid: verifyTwilioSignature({ authToken: sim.authToken, signature: req.headers['x-twilio-signature'] as string, url: callback, params }), params });
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const callback = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/status`;
    try {
      const created = await post({ ...text, To: 'whatsapp:+34699999999', StatusCallback: callback });
      expect(created.status).toBe(201);
      expect(created.json.status).toBe('queued');
      await post(text);
      await sim.settle();
      expect(sim.messages.map((m) => [m.status, m.errorCode])).toEqual([['failed', 63016], ['delivered', null]]);
      expect(received).toHaveLength(1);
      expect(received[0]!.valid).toBe(true);
      expect(received[0]!.params).toMatchObject({ MessageSid: created.json.sid, MessageStatus: 'failed', ErrorCode: '63016' });
      expect(sim.callbacks).toEqual([{ sid: created.json.sid, status: 'failed', url: callback, answer: 200 }]);
    } finally {
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });

  it('posts a callback for a public StatusCallback to the mapped address, signed over the public one; postStatus repeats or reorders', async () => {
    const received: Array<{ valid: boolean; path: string; params: Record<string, string> }> = [];
    const publicCallback = 'https://coach.example.com/twilio-status';
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const params = Object.fromEntries(new URLSearchParams(body));
        received.push({ valid: verifyTwilioSignature({ authToken: sim.authToken, signature: req.headers['x-twilio-signature'] as string, url: publicCallback, params }), path: req.url ?? '', params });
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const loopback = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    await sim.close();
    sim = await startTwilioSimulator({ callbackTarget: (url) => url.replace('https://coach.example.com', loopback) });
    try {
      const created = await post({ ...text, StatusCallback: publicCallback });
      await sim.settle();
      const sid = String(created.json.sid);
      expect((await sim.postStatus(sid)).answer).toBe(200);
      await sim.postStatus(sid, { status: 'failed', errorCode: 30008 });
      expect(received.map((r) => [r.valid, r.path, r.params.MessageStatus, r.params.ErrorCode])).toEqual([
        [true, '/twilio-status', 'delivered', undefined],
        [true, '/twilio-status', 'delivered', undefined],
        [true, '/twilio-status', 'failed', '30008'],
      ]);
      expect(sim.messages[0]!.status).toBe('delivered');
    } finally {
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });

  it('throttles on demand with Twilio 20429 and Retry-After, and shapes injected faults like Twilio', async () => {
    sim.throttleNext(1, 3);
    const throttled = await post(text);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(throttled.json).toMatchObject({ code: 20429, status: 429 });
    sim.failNext('500');
    expect((await post(text)).json).toMatchObject({ code: 20500, status: 500 });
    expect(sim.messages).toHaveLength(0);
  });

  it('lists by DateSent, newest first, filtered by To/From/DateSent, paging on PageToken', async () => {
    for (let i = 0; i < 5; i++) {
      t += 60_000;
      await post({ ...text, Body: `m${i}` });
    }
    await post({ ...text, To: 'whatsapp:+34600000000', Body: 'other' });
    // m0 leaves the queue last: DateSent, not DateCreated, orders the list.
    sim.messages[0]!.status = 'sent';
    sim.messages[0]!.dateSent = t + 3_600_000;
    const base = `/2010-04-01/Accounts/${sim.accountSid}/Messages.json`;
    const first = await get(`${base}?To=${encodeURIComponent(text.To)}&PageSize=2`);
    expect((first.json.messages as Array<{ body: string }>).map((m) => m.body)).toEqual(['m0', 'm4']);
    expect(first.json.page).toBe(0);
    // A message sent meanwhile does not shift the next page: it starts after the PageToken.
    t += 7_200_000;
    await post({ ...text, Body: 'late' });
    const next = await get(String(first.json.next_page_uri));
    expect(new URL(String(first.json.next_page_uri), 'http://x').searchParams.get('PageToken')).toBe(`PA${sim.messages[4]!.sid}`);
    expect((next.json.messages as Array<{ body: string }>).map((m) => m.body)).toEqual(['m3', 'm2']);
    const last = await get(String((await get(String(next.json.next_page_uri))).json.uri));
    expect(last.json.next_page_uri).toBeNull();

    expect(((await get(`${base}?DateSent=2026-03-02&To=${encodeURIComponent(text.To)}`)).json.messages as unknown[])).toHaveLength(6);
    expect(((await get(`${base}?DateSent%3E=2026-03-03`)).json.messages as unknown[])).toHaveLength(0);
    expect(((await get(`${base}?DateSent%3C=2026-03-01`)).json.messages as unknown[])).toHaveLength(0);
    expect(((await get(`${base}?From=${encodeURIComponent('whatsapp:+10000000000')}`)).json.messages as unknown[])).toHaveLength(0);
    expect((await get(`${base}?PageSize=5000`)).json.page_size).toBe(1000);
  });

  it('keeps held messages queued with no DateSent: a DateSent filter misses them; they list last (or first)', async () => {
    const base = `/2010-04-01/Accounts/${sim.accountSid}/Messages.json`;
    await post({ ...text, Body: 'sent' });
    t += 1000;
    expect(((await get(base)).json.messages as Array<{ status: string }>)[0]!.status).toBe('sent');
    sim.holdQueue(true);
    await post({ ...text, Body: 'queued' });
    const all = (await get(base)).json.messages as Array<{ body: string; date_sent: string | null; status: string }>;
    expect(all.map((m) => [m.body, m.status, m.date_sent === null])).toEqual([['sent', 'sent', false], ['queued', 'queued', true]]);
    expect(((await get(`${base}?DateSent%3E=2026-03-02`)).json.messages as Array<{ body: string }>).map((m) => m.body)).toEqual(['sent']);
    sim.holdQueue(false);
    expect(((await get(`${base}?DateSent%3E=2026-03-02`)).json.messages as Array<{ body: string }>).map((m) => m.body)).toEqual(['queued', 'sent']);

    await sim.close();
    sim = await startTwilioSimulator({ now: () => t, unsentPosition: 'first' });
    await post({ ...text, Body: 'sent' });
    await get(base);
    sim.holdQueue(true);
    t += 1000;
    await post({ ...text, Body: 'queued' });
    expect(((await get(`/2010-04-01/Accounts/${sim.accountSid}/Messages.json`)).json.messages as Array<{ body: string }>).map((m) => m.body)).toEqual(['queued', 'sent']);
  });

  it('sends through a Messaging Service: unknown ones are refused (21701), a template body comes back empty', async () => {
    const mg = sim.addMessagingService(['whatsapp:+14155238886']);
    expect((await post({ ...text, MessagingServiceSid: `MG${'0'.repeat(32)}` })).json).toMatchObject({ status: 400, code: 21701 });
    expect((await post({ ...text, MessagingServiceSid: 'MG123' })).json).toMatchObject({ status: 400, code: 21705 });
    const picked = await post({ To: text.To, MessagingServiceSid: mg, Body: 'hi' });
    expect(picked.json).toMatchObject({ status: 'accepted', from: null, messaging_service_sid: mg, num_segments: '0' });
    const contentSid = 'HX' + 'c'.repeat(32);
    sim.defineContent(contentSid, 'Your plan for {{1}} is ready', { 1: 'a meeting' });
    const template = await post({ ...text, MessagingServiceSid: mg, ContentSid: contentSid, ContentVariables: JSON.stringify({ 1: 'Acme' }) });
    expect(template.json).toMatchObject({ status: 'queued', body: '', from: text.From });
    const direct = await post({ ...text, ContentSid: contentSid, ContentVariables: JSON.stringify({ 1: 'Acme' }) });
    expect(direct.json.body).toBe('Your plan for Acme is ready');
    const listed = (await get(`/2010-04-01/Accounts/${sim.accountSid}/Messages.json`)).json.messages as Array<{ sid: string; from: string | null }>;
    expect(listed.find((m) => m.sid === picked.json.sid)!.from).toBe('whatsapp:+14155238886');
  });

  it('serves the Messaging Service, its ChannelSenders and Content resources, 404 / 20404 for unknown SIDs', async () => {
    const mg = sim.addMessagingService(['whatsapp:+14155238886', 'messenger:104794531907950'], 'Sales');
    const service = await get(`/v1/Services/${mg}`);
    expect(service.json).toMatchObject({ sid: mg, account_sid: sim.accountSid, friendly_name: 'Sales' });
    const senders = await get(`/v1/Services/${mg}/ChannelSenders`);
    expect((senders.json.senders as Array<{ sender: string; sender_type: string }>).map((s) => [s.sender, s.sender_type])).toEqual([['whatsapp:+14155238886', 'WhatsApp'], ['messenger:104794531907950', 'Messenger']]);
    expect(senders.json.meta).toMatchObject({ key: 'senders', page: 0, next_page_url: null });
    const unknown = await get(`/v1/Services/MG${'0'.repeat(32)}`);
    expect([unknown.status, unknown.json.code]).toEqual([404, 20404]);
    sim.defineContent('HX' + 'd'.repeat(32), 'Hi {{1}}');
    expect((await get(`/v1/Content/HX${'d'.repeat(32)}`)).json).toMatchObject({ types: { 'twilio/text': { body: 'Hi {{1}}' } } });
    expect((await get(`/v1/Content/HX${'e'.repeat(32)}`)).status).toBe(404);
  });

  it('fetches the account and refuses other accounts', async () => {
    const account = await get(`/2010-04-01/Accounts/${sim.accountSid}.json`);
    expect(account.json).toMatchObject({ sid: sim.accountSid, status: 'active', friendly_name: 'rolplay sandbox' });
    const other = await get(`/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages.json`);
    expect(other.status).toBe(404);
    expect(other.json.code).toBe(20404);
  });

  it('drop-after-commit keeps the message although the client gets no answer', async () => {
    sim.failNext('drop-after-commit');
    await expect(post(text)).rejects.toThrow();
    expect(sim.messages).toHaveLength(1);
  });
});
