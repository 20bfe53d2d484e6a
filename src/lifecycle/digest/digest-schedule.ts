import { Cron } from 'croner';
import { isoWeek } from '../../domain/digest-text.js';
import { jobRequest } from '../jobs/job-kind.js';
import { SEND_DIGESTS } from '../jobs/job-kinds.js';
import type { Services } from '../services.js';

const HOUR = 3_600_000;
export const WEEK_MS = 7 * 24 * HOUR;

/**
 * A digest whose time passed while no daemon ran is still sent when one starts within this
 * long after it (a restart, a deploy, a night's outage); later, that week is skipped: a Monday
 * morning summary arriving on Tuesday afternoon is noise.
 */
export const DIGEST_CATCH_UP_MS = 12 * HOUR;

/** croner finds a run only when its reference is at least a second past it; a timer may also fire a little early. */
const FIRE_TOLERANCE_MS = 2000;

export interface DueDigest {
  week: string;
  from: number;
  to: number;
}

/**
 * The digest of the latest time `expression` (a cron expression in `timeZone`) reached by `now`,
 * or undefined when there is none within DIGEST_CATCH_UP_MS. It reports the 7 days before that
 * time and is keyed by its ISO week, so every daemon that asks gets the same answer.
 */
export function dueDigest(expression: string, timeZone: string, now: number): DueDigest | undefined {
  if (expression === '') return undefined;
  const cron = new Cron(expression, { paused: true, timezone: timeZone });
  const [last] = cron.previousRuns(1, new Date(now + FIRE_TOLERANCE_MS));
  if (!last) return undefined;
  const at = last.getTime();
  if (now - at > DIGEST_CATCH_UP_MS) return undefined;
  return { week: isoWeek(at, timeZone), from: at - WEEK_MS, to: at };
}

/** The dedupe key of one week's digests job. */
export function digestsKey(week: string): string {
  return `digest:${week}`;
}

/**
 * Enqueues the due week's 'send_digests' job, once per week whichever daemon or restart asks
 * (the dedupe key); called when schedule.digest fires and when a daemon starts.
 */
export async function enqueueDueDigests(services: Pick<Services, 'config' | 'clock' | 'queue'>): Promise<(DueDigest & { created: boolean }) | undefined> {
  const { config, clock } = services;
  const due = dueDigest(config.schedule.digest, config.defaults.timezone, clock.now());
  if (!due) return undefined;
  const { created } = await services.queue.enqueue(jobRequest(SEND_DIGESTS, due, { dedupeKey: digestsKey(due.week) }));
  return { ...due, created };
}
