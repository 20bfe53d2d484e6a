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

  it('marks a send whose answer was lost as ambiguous; findSent then finds exactly that text', async () => {
    const since = Date.now() - 1000;
    sim.failNext('drop-after-commit');
    const error = await failure(messenger().send({ to: SALES, body: 'Your plan for Acme' }));
    expect(error.ambiguous).toBe(true);
    expect(error.retryable).toBe(true);
    // The retry waits out the client's timeout, so the message has landed before the log is read.
    expect(error.retryAfterMs).toBe(2000);
    expect(sim.sentTo(SALES)).toHaveLength(1);

    const found = await messenger().findSent({ to: SALES, since, part: { body: 'Your plan for Acme' } });
    expect(found.matches.map((m) => m.sid)).toEqual([sim.messages[0]!.sid]);
    expect(found.matches[0]!.dateSent).toBeGreaterThanOrEqual(since);
    expect((await messenger().findSent({ to: SALES, since, part: { body: 'Your plan for Acme, part 2' } })).matches).toEqual([]);
    expect((await messenger().findSent({ to: SALES, since, part: { body: 'Your plan' } })).matches).toEqual([]);
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

  it('findSent reads the newest page to the number, then by To, From and the send\'s day, pages by 1,000 and stops at the first message sent before `since`', async () => {
    let t = Date.parse('2026-03-02T10:00:00Z');
    await sim.close();
    sim = await startTwilioSimulator({ now: () => t });
    for (let i = 0; i < 1500; i++) sim.seed({ to: `whatsapp:${SALES}`, body: `old ${i}`, dateCreated: t - 3_600_000 + i });
    t += 1000;
    const m = messenger();
    await m.send({ to: SALES, body: 'the one' });
    for (let i = 0; i < 1500; i++) sim.seed({ to: `whatsapp:${SALES}`, body: `later ${i}`, dateCreated: t + 10_000 + i });
    await m.send({ to: '+34600000000', body: 'the one' });
    const found = await m.findSent({ to: SALES, since: t - 500, part: { body: 'the one' } });
    expect(found.matches.map((x) => x.sid)).toEqual([sim.sentTo(SALES).find((x) => x.body === 'the one')!.sid]);
    const pages = sim.requests.filter((r) => r.method === 'GET');
    expect(pages).toHaveLength(3);
    expect(Object.fromEntries(pages[0]!.query)).toEqual({ To: `whatsapp:${SALES}`, From: 'whatsapp:+14155238886', PageSize: '1000' });
    expect(Object.fromEntries(pages[1]!.query)).toEqual({ To: `whatsapp:${SALES}`, From: 'whatsapp:+14155238886', 'DateSent>': '2026-03-02', PageSize: '1000' });
    expect(pages[2]!.query.get('PageToken')).toMatch(/^PASM/);
  });

  it('findSent answers with one request when the newest page reaches back past the send', async () => {
    const since = Date.now() - 1000;
    const m = messenger();
    await m.send({ to: SALES, body: 'the one' });
    await m.send({ to: SALES, body: 'a later one' });
    const before = sim.requests.length;
    expect((await m.findSent({ to: SALES, since, part: { body: 'the one' } })).matches).toHaveLength(1);
    expect((await m.findSent({ to: SALES, since, part: { body: 'never sent' } })).matches).toEqual([]);
    expect(sim.requests.length - before).toBe(2);
  });

  it('findSent sees a still-queued message when Twilio lists unsent ones first, and reports none when it lists them last', async () => {
    for (const unsentPosition of ['first', 'last'] as const) {
      await sim.close();
      sim = await startTwilioSimulator({ unsentPosition });
      const since = Date.now() - 1000;
      // An older message: listed after the newer ones and before any queued last, it ends the look.
      sim.seed({ to: `whatsapp:${SALES}`, body: 'long ago', dateCreated: since - 3_600_000 });
      await messenger().send({ to: SALES, body: 'earlier' });
      await messenger().findSent({ to: SALES, since, part: { body: 'x' } });
      sim.holdQueue(true);
      await messenger().send({ to: SALES, body: 'held' });
      const found = await messenger().findSent({ to: SALES, since, part: { body: 'held' } });
      expect([unsentPosition, found.matches.length]).toEqual([unsentPosition, unsentPosition === 'first' ? 1 : 0]);
      sim.holdQueue(false);
      expect((await messenger().findSent({ to: SALES, since, part: { body: 'held' } })).matches).toHaveLength(1);
    }
  });

  it('findSent matches a template by the text it renders to, fetched once from the Content API', async () => {
    const welcome = 'HX' + '1'.repeat(32);
    const plan = 'HX' + '2'.repeat(32);
    sim.defineContent(welcome, 'Welcome {{1}}! Your coach is ready.');
    sim.defineContent(plan, 'Your plan for {{1}} is ready, {{2}}.');
    const since = Date.now() - 1000;
    const m = messenger();
    await m.send({ to: SALES, contentSid: welcome, contentVariables: { 1: 'Sara' } });
    await m.send({ to: SALES, contentSid: plan, contentVariables: { 1: 'Acme', 2: 'Sara' } });
    await m.send({ to: SALES, contentSid: plan, contentVariables: { 1: 'Globex', 2: 'Sara' } });
    const [w, acme, globex] = sim.sentTo(SALES);
    expect((await m.findSent({ to: SALES, since, part: { contentSid: welcome, variables: { 1: 'Sara' } } })).matches.map((x) => x.sid)).toEqual([w!.sid]);
    expect((await m.findSent({ to: SALES, since, part: { contentSid: plan, variables: { 1: 'Acme', 2: 'Sara' } } })).matches.map((x) => x.sid)).toEqual([acme!.sid]);
    expect((await m.findSent({ to: SALES, since, part: { contentSid: plan, variables: { 1: 'Globex', 2: 'Sara' } } })).matches.map((x) => x.sid)).toEqual([globex!.sid]);
    expect((await m.findSent({ to: SALES, since, part: { contentSid: plan, variables: { 1: 'Initech', 2: 'Sara' } } })).matches).toEqual([]);
    expect(sim.requests.filter((r) => r.path.startsWith('/v1/Content/')).map((r) => r.path)).toEqual([`/v1/Content/${welcome}`, `/v1/Content/${plan}`]);
  });

  it('sends every message through the configured Messaging Service, naming whatsappFrom as the sender', async () => {
    const mg = sim.addMessagingService(['whatsapp:+14155238886']);
    const m = messenger({ messagingServiceSid: mg });
    await m.send({ to: SALES, body: 'hi' });
    await m.send({ to: SALES, contentSid: 'HX' + 'b'.repeat(32), contentVariables: { 1: 'Sara' } });
    const forms = sim.requests.filter((r) => r.method === 'POST').map((r) => new URLSearchParams(r.body));
    expect(forms.map((f) => [f.get('MessagingServiceSid'), f.get('From')])).toEqual([[mg, 'whatsapp:+14155238886'], [mg, 'whatsapp:+14155238886']]);
    expect(await m.checkMessagingService()).toEqual({ sid: mg, friendlyName: 'rolplay sandbox service', senders: ['whatsapp:+14155238886'] });
    expect(await messenger().checkMessagingService()).toBeUndefined();
    const unknown = await failure(messenger({ messagingServiceSid: `MG${'0'.repeat(32)}` }).checkMessagingService());
    expect([unknown.status, unknown.providerCode]).toEqual([404, 20404]);
    expect(unknown.message).toContain('twilio.messagingServiceSid');
    const refused = await failure(messenger({ messagingServiceSid: `MG${'0'.repeat(32)}` }).send({ to: SALES, body: 'hi' }));
    expect(refused.providerCode).toBe(21701);
    expect(refused.message).toContain('TWILIO_MESSAGING_SERVICE_SID');
  });

  it('checkAccount fetches the account for doctor', async () => {
    expect(await messenger().checkAccount()).toEqual({ friendlyName: 'rolplay sandbox', status: 'active' });
    expect(sim.requests.at(-1)!.path).toBe(`/2010-04-01/Accounts/${sim.accountSid}.json`);
  });
});
