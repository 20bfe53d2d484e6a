import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { JobRunner } from '../../src/daemon/job-runner.js';
import type { JobHandler } from '../../src/lifecycle/jobs/job-contract.js';
import { ADMIN_ALERT, SEND_WHATSAPP, type SendWhatsAppPayload } from '../../src/lifecycle/jobs/job-kinds.js';
import { bindJobs } from '../../src/lifecycle/all-jobs.js';
import { sendNudgeJob, sendReminderJob } from '../../src/lifecycle/follow-up/send-reminder.js';
import { recordOutcomeJob } from '../../src/lifecycle/follow-up/record-outcome.js';
import { logOutcomeJob } from '../../src/lifecycle/follow-up/log-outcome.js';
import { createJobQueue } from '../../src/lifecycle/jobs/job-queue.js';
import type { Services } from '../../src/lifecycle/services.js';
import { createHubspotCrm } from '../../src/clients/hubspot/hubspot-crm.js';
import type { LanguageModel } from '../../src/clients/gemini/language-model.js';
import { startHubspotSimulator, type HubspotSim } from '../../src/sandbox/hubspot-simulator.js';
import type { MeetingRow, UserRow } from '../../src/store/database.js';
import { freshStore, type TestStore } from './stores.js';
import { advanceJobs } from './advance-jobs.js';

/**
 * A follow-up test world: fresh store, fake clock, the real job runner with the follow-up
 * handlers, the real HubSpot client against its simulator, and WhatsApp sends captured by a
 * stand-in 'send_whatsapp' handler (the Twilio path has its own tests).
 */
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const MIN = 60_000;
export const HOUR = 60 * MIN;

export interface Sent {
  at: number;
  to: string;
  body?: string;
  template?: { contentSid: string; variables: Record<string, string> };
  kind: string;
  meetingId: number | null;
}

export interface World {
  t: TestStore;
  hub: HubspotSim;
  clock: FakeClock;
  services: Services;
  runner: JobRunner;
  sent: Sent[];
  user: UserRow;
  /** Runs everything due by `ms` from now (timers fire on the fake clock). */
  advance(ms?: number): Promise<void>;
  meeting(opts?: { title?: string; start?: number; minutes?: number; clients?: Array<{ email: string; name?: string; company?: string }>; status?: MeetingRow['status'] }): Promise<MeetingRow>;
  reload(id: number): Promise<MeetingRow>;
  close(): Promise<void>;
}

export interface WorldOptions {
  backend?: 'sqlite' | 'postgres';
  hubspot?: boolean;
  model?: LanguageModel;
  config?: ConfigInput;
  start?: number;
}

export async function followUpWorld(options: WorldOptions = {}): Promise<World> {
  const t = await freshStore(options.backend ?? 'sqlite');
  const hub = await startHubspotSimulator();
  const clock = new FakeClock(options.start ?? T0);
  const input = options.config ?? {};
  const config = configSchema.parse({
    ...input,
    admin: { whatsapp: '+14155550199', ...input.admin },
    hubspot: options.hubspot === false ? input.hubspot ?? {} : { accessToken: hub.token, basePath: hub.url, ...input.hubspot },
  });
  const wake = { runner: undefined as JobRunner | undefined };
  const queue = createJobQueue(t.store, clock, config.jobs.maxAttempts, () => wake.runner?.wake());
  const services: Services = {
    config, clock, logger: silentLogger(), store: t.store, queue,
    crm: options.hubspot === false ? undefined : createHubspotCrm({ accessToken: config.hubspot.accessToken, basePath: config.hubspot.basePath, logger: silentLogger(), timeoutMs: 5000 }),
    model: options.model,
  };
  const sent: Sent[] = [];
  const send: JobHandler<SendWhatsAppPayload> = async ({ payload }) => {
    sent.push({ at: clock.now(), to: payload.to, body: payload.body, template: payload.template, kind: payload.kind, meetingId: payload.meetingId ?? null });
  };
  const jobs = [
    ...bindJobs(services, [sendReminderJob, sendNudgeJob, recordOutcomeJob, logOutcomeJob]),
    { kind: SEND_WHATSAPP, handle: send },
    { kind: ADMIN_ALERT, handle: async () => undefined },
  ];
  const runner = new JobRunner({ store: t.store, clock, logger: silentLogger(), jobs, leaseMs: 60_000, backoff: { random: () => 0.5, baseMs: 1000 }, maxIdleMs: 1e12 });
  // (No idle wake-ups: the runner's only timer is for the next due job, which advance() steps to.)
  wake.runner = runner;
  const user = (await t.store.users.upsert({ email: 'sam@seller.example', name: 'Sam Seller', phone: '+14155550100', timezone: 'Europe/Madrid' }, clock.now())).user;
  let n = 0;
  const world: World = {
    t, hub, clock, services, runner, sent, user,
    advance: (ms = 0) => advanceJobs(clock, t.store, ms),
    async meeting(opts = {}) {
      n += 1;
      const start = opts.start ?? T0 + HOUR;
      const meeting = await t.store.meetings.insert({
        event_id: `evt-${n}`, source: 'graph', title: opts.title ?? 'Quarterly review', start_at: start, end_at: start + (opts.minutes ?? 30) * MIN,
        organizer_email: user.email, user_id: user.id, status: opts.status ?? 'plan_sent', plan_json: JSON.stringify({ summary: 'Lead with the ROI numbers' }),
        created_at: clock.now(), updated_at: clock.now(),
      });
      const ids = [];
      for (const c of opts.clients ?? [{ email: 'ann@acme.example', name: 'Ann Lee', company: 'Acme' }]) ids.push((await t.store.clients.upsert({ email: c.email, name: c.name ?? null, company: c.company ?? null }, clock.now())).id);
      await t.store.clients.setForMeeting(meeting.id, ids);
      return meeting;
    },
    reload: async (id) => (await t.store.meetings.byId(id))!,
    async close() {
      await runner.stop();
      await hub.close();
      await t.dispose();
    },
  };
  return world;
}
