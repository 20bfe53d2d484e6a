import { Cron } from 'croner';
import { ProviderError, errorMessage } from '../support/errors.js';
import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import type { Metrics } from '../support/metrics.js';
import type { CalendarIngest, CalendarPollSummary } from '../lifecycle/calendar/ingest-calendar.js';
import type { DaemonComponent } from './daemon-component.js';
import type { LeaderLease } from './leader-lease.js';
import { backoffDelay } from '../support/backoff.js';

/** Starts calling `tick` every `seconds`; the returned stop() ends the schedule. */
export type PollSchedule = (seconds: number, tick: () => Promise<void>) => { stop(): void };

export interface CalendarPollerOptions {
  ingest: CalendarIngest;
  pollSeconds: number;
  clock: Clock;
  logger: Logger;
  /** Only the lease holder polls (several daemons on one PostgreSQL). */
  lease?: LeaderLease;
  /** Default: croner, every pollSeconds. Tests pass their own and call pollNow(). */
  schedule?: PollSchedule;
  /** Each poll's duration and result, and whether this daemon leads the poll. */
  metrics?: Pick<Metrics, 'calendarPolled' | 'pollLeadership'>;
}

const MAX_BACKOFF_MS = 15 * 60_000;

/** croner: a tick every second, run at most once per `seconds`; `protect` skips a tick while one runs. */
export const cronSchedule: PollSchedule = (seconds, tick) => {
  const job = new Cron('* * * * * *', { interval: seconds, protect: true, catch: true }, tick);
  return { stop: () => job.stop() };
};

/**
 * The calendar poll as a daemon component: one poll every microsoft.pollSeconds, never two at
 * once, one log line per poll with its counts. A failed poll backs off (Graph's Retry-After, or
 * exponentially) instead of hammering; stop() lets a poll in flight finish.
 */
export class CalendarPoller implements DaemonComponent {
  readonly name = 'calendar';
  private schedule: { stop(): void } | undefined;
  private inFlight: Promise<CalendarPollSummary | undefined> | undefined;
  private failures = 0;
  private pausedUntil = 0;
  private lastFailure: string | undefined;

  constructor(private readonly options: CalendarPollerOptions) {}

  async start(): Promise<void> {
    // Without a lease (SQLite: one daemon per file) this daemon is the one that polls.
    if (!this.options.lease) this.options.metrics?.pollLeadership({ leader: true });
    const schedule = this.options.schedule ?? cronSchedule;
    this.schedule = schedule(this.options.pollSeconds, async () => {
      await this.pollNow();
    });
  }

  async stop(): Promise<void> {
    this.schedule?.stop();
    this.schedule = undefined;
    await this.inFlight;
    await this.options.lease?.release();
    this.options.metrics?.pollLeadership({ leader: false });
  }

  /** One poll now, back-off or not; what failed, if it did (not polling because another daemon leads is no failure). */
  async runOnce(): Promise<string | undefined> {
    this.lastFailure = undefined;
    await this.pollNow({ force: true });
    return this.lastFailure;
  }

  /**
   * One poll unless one is running (then it returns undefined at once), the daemon is not the
   * leader, or a back-off is in force. Never throws: failures are logged and back off.
   */
  pollNow(options: { force?: boolean } = {}): Promise<CalendarPollSummary | undefined> {
    if (this.inFlight) {
      this.options.logger.debug('calendar poll still running; this tick is skipped');
      return Promise.resolve(undefined);
    }
    this.inFlight = this.run(options.force === true).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(force: boolean): Promise<CalendarPollSummary | undefined> {
    const { clock, logger, lease, ingest, metrics } = this.options;
    if (!force && clock.now() < this.pausedUntil) return undefined;
    if (lease) {
      const held = await lease.ensure();
      metrics?.pollLeadership({ leader: held !== undefined, epoch: held?.epoch });
      if (!held) {
        logger.debug('another daemon leads the calendar poll; this one waits');
        return undefined;
      }
    }
    const started = clock.now();
    // Real elapsed time for the histogram, whatever clock the poller is given.
    const t0 = performance.now();
    const polled = (result: 'ok' | 'error') => metrics?.calendarPolled({ result, seconds: (performance.now() - t0) / 1000 });
    try {
      const summary = await ingest.poll();
      polled('ok');
      this.failures = 0;
      this.pausedUntil = 0;
      const c = summary.counts;
      logger.info({
        mode: summary.mode, new: c.new, changed: c.changed, cancelled: c.cancelled, restored: c.restored, unmatched: c.unmatched,
        skipped: c.skipped, requests: summary.requests, resynced: summary.resynced || undefined, ms: clock.now() - started,
      }, 'calendar poll');
      return summary;
    } catch (error) {
      polled('error');
      this.failures++;
      this.lastFailure = `the calendar poll failed: ${errorMessage(error)}`;
      const wait = this.backoff(error);
      this.pausedUntil = clock.now() + wait;
      const retryable = error instanceof ProviderError ? error.retryable : true;
      logger[retryable ? 'warn' : 'error']({ err: errorMessage(error), failures: this.failures, nextTryInSeconds: Math.round(wait / 1000) }, 'calendar poll failed');
      return undefined;
    }
  }

  private backoff(error: unknown): number {
    const base = this.options.pollSeconds * 1000;
    const exponential = backoffDelay(this.failures, { baseMs: base, maxMs: MAX_BACKOFF_MS, jitter: 0 });
    if (error instanceof ProviderError) {
      // A settings problem will not fix itself soon: look again every few minutes, not every tick.
      if (!error.retryable) return Math.max(exponential, Math.min(MAX_BACKOFF_MS, 5 * 60_000));
      if (error.retryAfterMs !== undefined) return Math.max(error.retryAfterMs, 0);
    }
    return this.failures === 1 ? 0 : exponential;
  }
}
