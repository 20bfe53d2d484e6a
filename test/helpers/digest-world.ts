import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { JobRunner } from '../../src/daemon/job-runner.js';
import { createDigestComponent } from '../../src/daemon/digest-component.js';
import type { JobHandler } from '../../src/lifecycle/jobs/job-contract.js';
import { SEND_WHATSAPP, type SendWhatsAppPayload } from '../../src/lifecycle/jobs/job-kinds.js';
import { bindJobs } from '../../src/lifecycle/all-jobs.js';
import { sendDigestsJob } from '../../src/lifecycle/digest/send-digests.js';
import { createJobQueue } from '../../src/lifecycle/jobs/job-queue.js';
import type { Services } from '../../src/lifecycle/services.js';
import type { Store } from '../../src/store/open-store.js';

/** Monday 30 November 2026, 08:00 UTC: when "0 8 * * MON" fires in UTC. */
export const MONDAY_8 = Date.UTC(2026, 10, 30, 8, 0, 0);
export const DIGEST_CRON = '0 8 * * MON';

export interface SentDigest {
  at: number;
  to: string;
  body?: string;
  template?: { contentSid: string; variables: Record<string, string> };
  kind: string;
}

/**
 * One daemon's share of the digest: its own job runner (the digest job and a stand-in
 * 'send_whatsapp' handler that records what would go out; the Twilio path has its own tests)
 * and its digest component, whose cron ticks the test fires with `fire()`. Several of these on
 * one store (or on two connections to it) are several daemons.
 */
export interface DigestDaemon {
  services: Services;
  runner: JobRunner;
  /** Daemon start: the catch-up check, then the (test-driven) schedule. */
  start(): Promise<void>;
  /** schedule.digest fires now. */
  fire(): Promise<void>;
  stop(): Promise<void>;
}

export function digestDaemon(store: Store, clock: FakeClock, sent: SentDigest[], input: ConfigInput = {}): DigestDaemon {
  const config = configSchema.parse({ ...input, schedule: { digest: DIGEST_CRON, ...input.schedule }, admin: { whatsapp: '+14155550199', ...input.admin } });
  const wake = { runner: undefined as JobRunner | undefined };
  const queue = createJobQueue(store, clock, config.jobs.maxAttempts, () => wake.runner?.wake());
  const services: Services = { config, clock, logger: silentLogger(), store, queue };
  const send: JobHandler<SendWhatsAppPayload> = async ({ payload }) => {
    sent.push({ at: clock.now(), to: payload.to, body: payload.body, template: payload.template, kind: payload.kind });
  };
  const jobs = [...bindJobs(services, [sendDigestsJob]), { kind: SEND_WHATSAPP, handle: send }];
  const runner = new JobRunner({ store, clock, logger: silentLogger(), jobs, leaseMs: 60_000, backoff: { random: () => 0.5, baseMs: 1000 }, maxIdleMs: 1e12 });
  wake.runner = runner;
  let tick: (() => Promise<void>) | undefined;
  const component = createDigestComponent(services, { schedule: (_expression, _zone, fn) => ((tick = fn), { stop: () => (tick = undefined) }) });
  if (!component) throw new Error('schedule.digest is empty');
  return {
    services,
    runner,
    async start() {
      await component.start();
      runner.start();
    },
    async fire() {
      if (!tick) throw new Error('the digest schedule is not running');
      await tick();
    },
    async stop() {
      await component.stop();
      await runner.stop();
    },
  };
}
