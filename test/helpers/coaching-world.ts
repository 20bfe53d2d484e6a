import { inboundOrderWindowMs, configSchema, type ConfigInput } from '../../src/config/schema.js';
import { FakeClock, systemClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { JobRunner } from '../../src/daemon/job-runner.js';
import type { JobHandler } from '../../src/lifecycle/jobs/job-contract.js';
import { SEND_WHATSAPP, type SendWhatsAppPayload } from '../../src/lifecycle/jobs/job-kinds.js';
import { bindJobs } from '../../src/lifecycle/all-jobs.js';
import { preparePlanJob } from '../../src/lifecycle/coaching/prepare-plan.js';
import { handleInboundJob } from '../../src/lifecycle/whatsapp/handle-inbound.js';
import { createJobQueue } from '../../src/lifecycle/jobs/job-queue.js';
import type { Services } from '../../src/lifecycle/services.js';
import { receiveInbound, type ReceiveResult } from '../../src/lifecycle/whatsapp/receive-inbound.js';
import { createGeminiModel } from '../../src/clients/gemini/gemini-model.js';
import { createHubspotCrm } from '../../src/clients/hubspot/hubspot-crm.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { startHubspotSimulator, type HubspotSim } from '../../src/sandbox/hubspot-simulator.js';
import type { MeetingRow, UserRow } from '../../src/store/database.js';
import { freshStore, type TestStore } from './stores.js';

/**
 * A coaching test world: fresh store, fake clock, the real job runner with the coaching
 * handlers, the real Gemini client against its simulator (and HubSpot's when asked), and a
 * stand-in 'send_whatsapp' that records what would be sent the way the real one stores it.
 */
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const HOUR = 3_600_000;

export interface Sent {
  to: string;
  body?: string;
  template?: { contentSid: string; variables: Record<string, string> };
  kind: string;
  meetingId: number | null;
}

export interface CoachingWorld {
  t: TestStore;
  gemini: GeminiSim;
  hub: HubspotSim | undefined;
  clock: FakeClock;
  services: Services;
  runner: JobRunner;
  sent: Sent[];
  user: UserRow;
  meeting(opts?: { title?: string; start?: number; minutes?: number; clients?: Array<{ email: string; name?: string; company?: string }>; body?: string; userId?: number }): Promise<MeetingRow>;
  /** A webhook's fields reaching the lifecycle (signature already checked), then due jobs run. */
  inbound(body: string, opts?: { sid?: string; from?: string }): Promise<ReceiveResult>;
  run(): Promise<void>;
  close(): Promise<void>;
}

let sidCounter = 0;
export const nextSid = () => `SM${(++sidCounter).toString(16).padStart(32, '0')}`;

export async function coachingWorld(options: { backend?: 'sqlite' | 'postgres'; config?: ConfigInput; hubspot?: boolean; model?: boolean } = {}): Promise<CoachingWorld> {
  const t = await freshStore(options.backend ?? 'sqlite');
  const gemini = await startGeminiSimulator();
  const hub = options.hubspot ? await startHubspotSimulator() : undefined;
  const clock = new FakeClock(T0);
  const input = options.config ?? {};
  const config = configSchema.parse({
    ...input,
    gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url, ...input.gemini },
    ...(hub ? { hubspot: { accessToken: hub.token, basePath: hub.url } } : {}),
  });
  const queue = createJobQueue(t.store, clock, config.jobs.maxAttempts, () => runner.wake());
  const services: Services = {
    config, clock, logger: silentLogger(), store: t.store, queue,
    model: options.model === false ? undefined : createGeminiModel({ apiKey: gemini.apiKey, model: config.gemini.model, baseUrl: gemini.url, timeoutMs: 5000, concurrency: 4, clock: systemClock, logger: silentLogger(), maxRetries: 0 }),
    crm: hub ? createHubspotCrm({ accessToken: hub.token, basePath: hub.url, logger: silentLogger(), timeoutMs: 5000 }) : undefined,
  };
  const sent: Sent[] = [];
  const send: JobHandler<SendWhatsAppPayload> = async ({ payload, job }) => {
    sent.push({ to: payload.to, body: payload.body, template: payload.template, kind: payload.kind, meetingId: payload.meetingId ?? null });
    await t.store.messages.record({ direction: 'out', userId: payload.userId ?? null, meetingId: payload.meetingId ?? null, phone: payload.to, body: payload.body ?? '[template]', twilioSid: `SMout${job.id}`, kind: payload.kind }, clock.now());
  };
  const jobs = [...bindJobs(services, [preparePlanJob, handleInboundJob(() => [])]), { kind: SEND_WHATSAPP, handle: send }];
  const runner: JobRunner = new JobRunner({ store: t.store, clock, logger: silentLogger(), jobs, leaseMs: 60_000, backoff: { random: () => 0.5, baseMs: 1000 } });
  const user = (await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam Seller', phone: '+14155550100', timezone: 'Europe/Madrid' }, clock.now())).user;
  const run = async () => {
    await runner.runDue();
  };
  return {
    t, gemini, hub, clock, services, runner, sent, user, run,
    async meeting(opts = {}) {
      const start = opts.start ?? clock.now() + 26 * HOUR;
      const meeting = await t.store.meetings.insert({
        event_id: `evt-${Math.random().toString(36).slice(2)}`, source: 'graph', title: opts.title ?? 'Acme renewal',
        body_preview: opts.body ?? 'Discuss the 2026 renewal and the analytics add-on.', start_at: start, end_at: start + (opts.minutes ?? 60) * 60_000,
        organizer_email: 'sam@example.com', user_id: opts.userId ?? user.id, status: 'scheduled', created_at: clock.now(), updated_at: clock.now(),
      });
      const clients = opts.clients ?? [{ email: 'ann@acme.example', name: 'Ann Lee', company: 'Acme' }];
      const ids = [];
      for (const c of clients) ids.push((await t.store.clients.upsert({ email: c.email, name: c.name ?? null, company: c.company ?? null }, clock.now())).id);
      await t.store.clients.setForMeeting(meeting.id, ids);
      return meeting;
    },
    async inbound(body, opts = {}) {
      const result = await receiveInbound(services, { MessageSid: opts.sid ?? nextSid(), From: `whatsapp:${opts.from ?? user.phone}`, To: 'whatsapp:+14155238886', Body: body, NumMedia: '0' });
      // Handled once conversation.orderWindowMs has passed since it arrived.
      await clock.advance(inboundOrderWindowMs(config));
      await run();
      return result;
    },
    async close() {
      await runner.stop();
      await gemini.close();
      await hub?.close();
      await t.dispose();
    },
  };
}
