import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioMessenger, type TwilioMessengerOptions } from '../../../src/clients/twilio/create-twilio-messenger.js';
import { startTwilioSimulator, type TwilioSim } from '../../../src/sandbox/twilio-simulator.js';
import { silentLogger } from '../../../src/support/logger.js';
import { ProviderError } from '../../../src/support/errors.js';

const SALES = '+34612345678';
let sim: TwilioSim;
beforeEach(async () => {
  sim = await startTwilioSimulator({ outsideWindow: ['+34699999999'] });
});
afterEach(async () => {
  await sim.close();
});

function messenger(overrides: Partial<TwilioMessengerOptions> = {}) {
  return createTwilioMessenger({
    accountSid: sim.accountSid, authToken: sim.authToken, whatsappFrom: 'whatsapp:+14155238886', apiBaseUrl: sim.url, timeoutMs: 2000, ...overrides,
  }, silentLogger());
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('Twilio messenger over the twilio SDK', () => {
  it('sends free text as a WhatsApp message with Basic auth to the Messages endpoint', async () => {
    const sent = await messenger().send({ to: SALES, body: 'Welcome to rolplay!' });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    const req = sim.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${sim.accountSid}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${sim.accountSid}:${sim.authToken}`).toString('base64')}`);
    const form = new URLSearchParams(req.body);
    expect(form.get('To')).toBe(`whatsapp:${SALES}`);
    expect(form.get('From')).toBe('whatsapp:+14155238886');
    expect(sim.sentTo(SALES).map((m) => m.body)).toEqual(['Welcome to rolplay!']);
  });

  it('sends a Content template with its variables as a JSON string', async () => {
    const contentSid = 'HX' + 'b'.repeat(32);
    await messenger().send({ to: `whatsapp:${SALES}`, contentSid, contentVariables: { 1: 'Sara', 2: 'Renewal call' } });
    const form = new URLSearchParams(sim.requests.at(-1)!.body);
    expect(form.get('ContentSid')).toBe(contentSid);
    expect(JSON.parse(form.get('ContentVariables')!)).toEqual({ 1: 'Sara', 2: 'Renewal call' });
    expect(form.has('Body')).toBe(false);
    expect(sim.sentTo(SALES)[0]!.contentVariables).toEqual({ 1: 'Sara', 2: 'Renewal call' });
  });

  it('reports bad credentials naming the settings to fix, without the token', async () => {
    const wrong = 'f'.repeat(32);
    const error = await failure(messenger({ authToken: wrong }).send({ to: SALES, body: 'hi' }));
    expect(error.status).toBe(401);
    expect(error.providerCode).toBe(20003);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('twilio.authToken');
    expect(error.message).toContain('TWILIO_AUTH_TOKEN');
    expect(error.message).not.toContain(wrong);
    expect(sim.messages).toHaveLength(0);
  });

  it('treats 429 as retryable and carries Retry-After', async () => {
    sim.throttleNext(1, 7);
    const error = await failure(messenger().send({ to: SALES, body: 'hi' }));
    expect(error.status).toBe(429);
    expect(error.providerCode).toBe(20429);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.ambiguous).toBe(false);
  });

  it('treats injected 503 faults as retryable', async () => {
    sim.failNext('503');
    const error = await failure(messenger().send({ to: SALES, body: 'hi' }));
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(1000);
  });

  it('a 500 on a send is ambiguous (Twilio may have queued the message); a 503 is not', async () => {
    sim.failNext('500');
    const error = await failure(messenger().send({ to: SALES, body: 'hi' }));
    expect(error.status).toBe(500);
    expect([error.retryable, error.ambiguous, error.retryAfterMs]).toEqual([true, true, 2000]);
    sim.failNext('503');
    const refused = await failure(messenger().send({ to: SALES, body: 'hi' }));
    expect([refused.retryable, refused.ambiguous, refused.retryAfterMs]).toEqual([true, false, 1000]);
  });

  it('does not retry 63016 (outside the 24-hour window) and says templates fix it', async () => {
    const error = await failure(messenger().send({ to: '+34699999999', body: 'free text' }));
    expect(error.status).toBe(400);
    expect(error.providerCode).toBe(63016);
    expect(error.retryable).toBe(false);
    expect(error.code).toBe('TWILIO_OUTSIDE_WINDOW');
    expect(error.message).toContain('twilio.templates');
  });

  it('does not retry an invalid recipient (21211) or an over-long body (21617)', async () => {
    const invalid = await failure(messenger().send({ to: '+1', body: 'hi' }));
    expect(invalid.providerCode).toBe(21211);
    expect(invalid.retryable).toBe(false);
    const long = await failure(messenger().send({ to: SALES, body: 'x'.repeat(1601) }));
    expect(long.providerCode).toBe(21617);
    expect(long.retryable).toBe(false);
  });

  it('marks a send whose answer was lost as ambiguous; findRecent then finds the message', async () => {
    const since = Date.now() - 1000;
    sim.failNext('drop-after-commit');
    const error = await failure(messenger().send({ to: SALES, body: 'Your plan for Acme [rp:42]' }));
    expect(error.ambiguous).toBe(true);
    expect(error.retryable).toBe(true);
    // The retry waits out the client's timeout, so the message has landed before the log is read.
    expect(error.retryAfterMs).toBe(2000);
    expect(sim.sentTo(SALES)).toHaveLength(1);

    const found = await messenger().findRecent({ to: SALES, since, bodyContains: '[rp:42]' });
    expect(found).toHaveLength(1);
    expect(found[0]!.sid).toBe(sim.messages[0]!.sid);
    expect(found[0]!.status).toBe('queued');
    expect(found[0]!.dateCreated).toBeGreaterThanOrEqual(since);
    expect(await messenger().findRecent({ to: SALES, since, bodyContains: '[rp:43]' })).toEqual([]);
  });

  it('a refused connection is retryable but not ambiguous (nothing was sent)', async () => {
    const url = sim.url;
    await sim.close();
    const error = await failure(messenger({ apiBaseUrl: url }).send({ to: SALES, body: 'hi' }));
    expect(error.retryable).toBe(true);
    expect(error.ambiguous).toBe(false);
    expect(error.message).toContain('twilio.apiBaseUrl');
    sim = await startTwilioSimulator();
  });

  it('a timeout after sending is ambiguous', async () => {
    sim.setFaults({ rate: 1, kinds: ['slow'], slowMs: 1500 });
    const error = await failure(messenger({ timeoutMs: 200 }).send({ to: SALES, body: 'hi' }));
    expect(error.ambiguous).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('TWILIO_TIMEOUT');
    sim.setFaults(null);
  });

  it('findRecent follows next_page_uri and stops at messages older than `since`', async () => {
    let t = Date.parse('2026-03-02T10:00:00Z');
    await sim.close();
    sim = await startTwilioSimulator({ now: () => t });
    const m = messenger();
    for (let i = 0; i < 60; i++) {
      t += 1000;
      await m.send({ to: SALES, body: `message ${i}` });
    }
    await m.send({ to: '+34600000000', body: 'message to someone else' });
    const since = Date.parse('2026-03-02T10:00:06Z');
    const found = await m.findRecent({ to: SALES, since });
    expect(found).toHaveLength(55);
    expect(found[0]!.body).toBe('message 59');
    expect(found.at(-1)!.body).toBe('message 5');
    const pages = sim.requests.filter((r) => r.method === 'GET');
    expect(pages).toHaveLength(2);
    expect(pages[0]!.query.get('To')).toBe(`whatsapp:${SALES}`);
    expect(pages[0]!.query.get('From')).toBe('whatsapp:+14155238886');
  });

  it('checkAccount fetches the account for doctor', async () => {
    expect(await messenger().checkAccount()).toEqual({ friendlyName: 'rolplay sandbox', status: 'active' });
    expect(sim.requests.at(-1)!.path).toBe(`/2010-04-01/Accounts/${sim.accountSid}.json`);
  });
});
