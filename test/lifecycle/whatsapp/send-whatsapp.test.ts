import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { buildApp, type App } from '../../../src/daemon/build-app.js';
import { createTwilioMessenger } from '../../../src/clients/twilio/create-twilio-messenger.js';
import { sendWhatsAppJob } from '../../../src/lifecycle/whatsapp/send-whatsapp.js';
import { SEND_WHATSAPP, type SendWhatsAppPayload } from '../../../src/lifecycle/jobs/job-kinds.js';
import { readPayload } from '../../../src/lifecycle/jobs/job-payload.js';
import { startTwilioSimulator, type TwilioSim } from '../../../src/sandbox/twilio-simulator.js';
import { FakeClock } from '../../../src/support/clock.js';
import { TransientError } from '../../../src/support/errors.js';
import { silentLogger } from '../../../src/support/logger.js';
import type { JobRow } from '../../../src/store/jobs-repo.js';
import { backends, freshStore, type TestStore } from '../../helpers/stores.js';

const SALES = '+34612345678';
const T0 = Date.parse('2026-03-02T10:00:00Z');

interface World { sim: TwilioSim; app: App; t: TestStore; clock: FakeClock; run(job: JobRow): Promise<unknown>; job(payload: SendWhatsAppPayload, key: string): Promise<JobRow>; posts(): number }
let w: World | undefined;
afterEach(async () => {
  await w?.app.close();
  await w?.sim.close();
  await w?.t.dispose();
  w = undefined;
});

/** The real send_whatsapp handler over the real twilio SDK and the simulator, one attempt per run(). */
async function world(backend: 'sqlite' | 'postgres', unsentPosition?: 'first' | 'last'): Promise<World> {
  const clock = new FakeClock(T0);
  const sim = await startTwilioSimulator({ now: () => clock.now(), unsentPosition });
  const t = await freshStore(backend);
  const config = configSchema.parse({ twilio: { accountSid: sim.accountSid, authToken: sim.authToken, apiBaseUrl: sim.url, timeoutSeconds: 2 } });
  const messenger = createTwilioMessenger({ accountSid: sim.accountSid, authToken: sim.authToken, whatsappFrom: config.twilio.whatsappFrom, apiBaseUrl: sim.url, timeoutMs: 2000 }, silentLogger());
  const app = await buildApp({ config, logger: silentLogger(), clock, store: t.store, clients: { messenger } });
  const handler = sendWhatsAppJob.handler(app.services)!;
  const progress = new Map<number, unknown>();
  return {
    sim, app, t, clock,
    async job(payload, key) {
      return (await t.store.jobs.enqueue({ kind: 'send_whatsapp', payload, runAt: clock.now(), dedupeKey: key, maxAttempts: 8, lane: 'whatsapp' }, clock.now())).job;
    },
    async run(job) {
      return handler({
        job, payload: readPayload(SEND_WHATSAPP, job), attempt: 1, logger: silentLogger(), clock,
        progress: progress.get(job.id), saveProgress: async (p) => (progress.set(job.id, JSON.parse(JSON.stringify(p))), true),
      });
    },
    posts: () => sim.requests.filter((r) => r.method === 'POST').length,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (e: unknown) => e);
}

describe.each(backends)('send_whatsapp: the already-sent lookup (%s)', (backend) => {
  it('a send whose answer was lost is found at the provider after 10,000 later messages to the same number', async () => {
    w = await world(backend);
    for (let i = 0; i < 300; i++) w.sim.seed({ to: `whatsapp:${SALES}`, body: 'Your plan for Acme', dateCreated: T0 - 3_600_000 + i });
    const job = await w.job({ to: SALES, body: 'Your plan for Acme', kind: 'plan' }, 'plan:1');
    w.sim.failNext('drop-after-commit');
    expect(await rejection(w.run(job))).toMatchObject({ ambiguous: true });
    await w.app.services.messenger!.checkAccount(); // Twilio sends it at once (the simulator on its next read).
    const lost = w.sim.messages.at(-1)!;
    expect(lost.dateSent).toBe(T0);
    // 10,000 later messages to the same number, one of them the same text but another job's.
    for (let i = 0; i < 10_000; i++) w.sim.seed({ to: `whatsapp:${SALES}`, body: `reply ${i}`, dateCreated: T0 + 1000 + i * 10 });
    const twin = w.sim.seed({ to: `whatsapp:${SALES}`, body: 'Your plan for Acme', dateCreated: T0 + 200_000 });
    await w.t.store.messages.record({ direction: 'out', userId: null, meetingId: null, phone: SALES, body: 'Your plan for Acme', twilioSid: twin.sid, kind: 'plan', jobId: 999 }, T0 + 200_000);
    await w.clock.advance(300_000);

    expect(await w.run(job)).toEqual({ sids: [lost.sid] });
    expect(w.posts()).toBe(1);
    const pages = w.sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/Messages.json'));
    expect(pages.length).toBeLessThanOrEqual(12);
    expect(pages[0]!.query.get('DateSent>')).toBeNull(); // the newest page, then by the send's day
    expect(pages[1]!.query.get('DateSent>')).toBe('2026-03-02');
    expect((await w.t.store.messages.bySid(lost.sid))?.body).toBe('Your plan for Acme');
  }, 60_000);

  it('matches a template by its Content SID and variables: two different templates to the same number', async () => {
    w = await world(backend);
    const welcome = 'HX' + '1'.repeat(32);
    const plan = 'HX' + '2'.repeat(32);
    w.sim.defineContent(welcome, 'Welcome {{1}}! Your coach is ready.');
    w.sim.defineContent(plan, 'Your plan for {{1}} is ready, {{2}}.');
    const first = await w.job({ to: SALES, template: { contentSid: welcome, variables: { 1: 'Sara' } }, kind: 'welcome' }, 'welcome:1');
    expect(await w.run(first)).toMatchObject({ sids: [expect.stringMatching(/^SM/)] });

    // The plan template's answer is lost after Twilio took it; then another welcome goes out
    // from elsewhere (not in rolplay's store).
    const second = await w.job({ to: SALES, template: { contentSid: plan, variables: { 1: 'Acme', 2: 'Sara' } }, kind: 'plan' }, 'plan:1');
    w.sim.failNext('drop-after-commit');
    await rejection(w.run(second));
    const planSid = w.sim.messages.at(-1)!.sid;
    await w.clock.advance(1000);
    w.sim.seed({ to: `whatsapp:${SALES}`, body: 'Welcome Sara! Your coach is ready.', dateCreated: w.clock.now() });
    await w.clock.advance(2000);
    expect(await w.run(second)).toEqual({ sids: [planSid] });
    expect(w.posts()).toBe(2);

    // A third template send that never reached Twilio (connection reset) is not taken for the
    // unknown welcome above: it is sent once the queue grace has passed.
    const third = await w.job({ to: SALES, template: { contentSid: plan, variables: { 1: 'Globex', 2: 'Sara' } }, kind: 'plan' }, 'plan:2');
    w.sim.failNext('reset');
    await rejection(w.run(third));
    await w.clock.advance(2000);
    const early = await rejection(w.run(third));
    expect(early).toBeInstanceOf(TransientError);
    expect(w.posts()).toBe(3);
    await w.clock.advance((early as TransientError).retryAfterMs!);
    expect(await w.run(third)).toMatchObject({ sids: [expect.stringMatching(/^SM/)] });
    expect(w.sim.sentTo(SALES).map((m) => m.body)).toEqual([
      'Welcome Sara! Your coach is ready.', 'Your plan for Acme is ready, Sara.', 'Welcome Sara! Your coach is ready.', 'Your plan for Globex is ready, Sara.',
    ]);
  });

  it('a lost send still in Twilio\'s queue (no DateSent, listed last) is waited for, not sent twice', async () => {
    w = await world(backend, 'last');
    // Sent before the lookup's horizon: the list reaches it before the queued message listed last.
    w.sim.seed({ to: `whatsapp:${SALES}`, body: 'Your plan for Acme', dateCreated: T0 - 120_000 });
    const job = await w.job({ to: SALES, body: 'Reminder: how did it go?', kind: 'reminder' }, 'reminder:1');
    w.sim.holdQueue(true);
    w.sim.failNext('drop-after-commit');
    await rejection(w.run(job));
    await w.clock.advance(2000);
    const waiting = await rejection(w.run(job));
    expect(waiting).toBeInstanceOf(TransientError);
    expect((waiting as TransientError).retryAfterMs).toBe(6000);
    w.sim.holdQueue(false);
    await w.clock.advance(6000);
    expect(await w.run(job)).toEqual({ sids: [w.sim.messages[1]!.sid] });
    expect(w.posts()).toBe(1);
  });
});
