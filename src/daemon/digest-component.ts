import { Cron } from 'croner';
import { errorMessage } from '../support/errors.js';
import { enqueueDueDigests } from '../lifecycle/digest/digest-schedule.js';
import type { Services } from '../lifecycle/services.js';
import type { DaemonComponent } from './daemon-component.js';

/** Calls `tick` each time the cron expression fires in the time zone; stop() ends it. */
export type DigestSchedule = (expression: string, timeZone: string, tick: () => Promise<void>) => { stop(): void };

export const cronDigestSchedule: DigestSchedule = (expression, timeZone, tick) => {
  const job = new Cron(expression, { timezone: timeZone, protect: true, catch: true }, tick);
  return { stop: () => job.stop() };
};

/**
 * schedule.digest as a daemon component: when the expression fires, and when the daemon starts
 * (catching up a digest missed while it was down, within DIGEST_CATCH_UP_MS), the week's
 * 'send_digests' job is enqueued under its week's key. Every daemon on a shared PostgreSQL does
 * this; the key makes one job of it, so no lease is needed. Undefined when schedule.digest is "".
 */
export function createDigestComponent(
  services: Pick<Services, 'config' | 'clock' | 'queue' | 'logger'>,
  options: { schedule?: DigestSchedule } = {},
): (DaemonComponent & { check(): Promise<void> }) | undefined {
  const { config } = services;
  if (config.schedule.digest === '') return undefined;
  const logger = services.logger.child({ component: 'digest' });
  let schedule: { stop(): void } | undefined;
  let lastFailure: string | undefined;
  const check = async () => {
    try {
      const due = await enqueueDueDigests(services);
      if (due?.created) logger.info({ week: due.week }, 'weekly digests due');
      lastFailure = undefined;
    } catch (error) {
      lastFailure = `the weekly digests could not be queued: ${errorMessage(error)}`;
      logger.error({ err: errorMessage(error) }, 'weekly digests could not be queued');
    }
  };
  return {
    name: 'digest',
    check,
    async start() {
      await check();
      schedule = (options.schedule ?? cronDigestSchedule)(config.schedule.digest, config.defaults.timezone, check);
    },
    async stop() {
      schedule?.stop();
      schedule = undefined;
    },
    async runOnce() {
      await check();
      return lastFailure;
    },
  };
}
