import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../../support/metrics.js';
import { cachedJobCounts, type JobCount } from './cached-job-counts.js';

export const METRICS_PREFIX = 'rolplay_';
/** Every state a job row can be in (store/database.ts JobStatus). */
const JOB_STATES = ['waiting', 'pending', 'running', 'done', 'failed', 'cancelled'] as const;

export interface PrometheusMetricsOptions {
  /** One grouped count of the jobs table: read at scrape time, at most once per cacheMs. */
  jobCounts: () => Promise<JobCount[]>;
  /** Job kinds this daemon knows: their series exist (at 0) before the first job of the kind. */
  kinds: readonly string[];
  /** Default 2 s: however often /metrics is scraped, the store is counted at most this often. */
  cacheMs?: number;
  /** Monotonic milliseconds, for the cache (tests pass their own). */
  now?: () => number;
}

export interface Scrape {
  contentType: string;
  body: string;
}

export interface PrometheusMetrics extends Metrics {
  /** The text exposition of every series (Prometheus format 0.0.4). */
  scrape(): Promise<Scrape>;
}

/**
 * The daemon's metrics with prom-client, in a registry of its own (not prom-client's global
 * one), so that tests and several daemons in one process never share series.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): PrometheusMetrics {
  const registry = new Registry();
  const registers = [registry];
  const name = (n: string) => METRICS_PREFIX + n;
  collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX });

  const counts = cachedJobCounts(options.jobCounts, options.cacheMs ?? 2000, options.now);
  const seen = new Set<string>(options.kinds);
  new Gauge({
    name: name('jobs'),
    help: 'Jobs in the store by kind and state (counted at scrape time, cached for a moment)',
    labelNames: ['kind', 'state'],
    registers,
    async collect() {
      const rows = await counts();
      for (const row of rows) seen.add(row.kind);
      // Every known pair is set, to 0 when absent: a state that emptied shows 0, not a gap.
      for (const kind of seen) for (const state of JOB_STATES) this.set({ kind, state }, 0);
      for (const row of rows) this.set({ kind: row.kind, state: row.status }, row.n);
    },
  });
  const jobDuration = new Histogram({
    name: name('job_duration_seconds'),
    help: 'Time one claimed job took to reach an outcome, by kind and result (done, retry, failed, lost-lease, unrecorded)',
    labelNames: ['kind', 'result'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const jobAttempts = new Histogram({
    name: name('job_attempts'),
    help: 'Attempts a job took, observed when it is done or failed for good, by kind and result',
    labelNames: ['kind', 'result'],
    buckets: [1, 2, 3, 4, 5, 6, 8, 10, 20, 50],
    registers,
  });
  const permanentFailures = new Counter({
    name: name('job_permanent_failures_total'),
    help: 'Jobs that gave up for good, by provider (none: not a provider error) and error code',
    labelNames: ['provider', 'code'],
    registers,
  });
  const httpRequests = new Counter({
    name: name('http_requests_total'),
    help: 'HTTP requests answered, by route pattern (unmatched: no route) and status (aborted: no answer sent)',
    labelNames: ['route', 'status'],
    registers,
  });
  const reminderLateness = new Histogram({
    name: name('reminder_lateness_seconds'),
    help: 'Seconds from a reminder\'s due time (meeting end + schedule.reminderDelayMinutes) to its hand-over to Twilio',
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600],
    registers,
  });
  const pollDuration = new Histogram({
    name: name('calendar_poll_duration_seconds'),
    help: 'Duration of calendar polls, by result (ok, error)',
    labelNames: ['result'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const polls = new Counter({ name: name('calendar_polls_total'), help: 'Calendar polls, by result (ok, error)', labelNames: ['result'], registers });
  const leader = new Gauge({ name: name('calendar_poll_leader'), help: '1 while this daemon leads the calendar poll, else 0', registers });
  const epoch = new Gauge({ name: name('calendar_poll_lease_epoch'), help: 'Epoch of the calendar-poll lease this daemon holds (PostgreSQL); 0 when it holds none', registers });
  const tokens = new Counter({
    name: name('gemini_tokens_total'),
    help: 'Gemini tokens from usageMetadata, by direction: prompt, output (candidates), thoughts',
    labelNames: ['direction'],
    registers,
  });
  // Series that exist from the start, so rates and alerts work before the first event.
  for (const result of ['ok', 'error']) polls.inc({ result }, 0);
  for (const direction of ['prompt', 'output', 'thoughts']) tokens.inc({ direction }, 0);

  return {
    jobFinished({ kind, result, seconds, attempts }) {
      jobDuration.observe({ kind, result }, Math.max(0, seconds));
      if (result === 'done' || result === 'failed') jobAttempts.observe({ kind, result }, attempts);
    },
    permanentFailure({ provider, code }) {
      permanentFailures.inc({ provider: labelValue(provider), code: labelValue(code) });
    },
    httpRequest({ route, status }) {
      httpRequests.inc({ route, status });
    },
    reminderSent(latenessSeconds) {
      reminderLateness.observe(Math.max(0, latenessSeconds));
    },
    calendarPolled({ result, seconds }) {
      polls.inc({ result });
      pollDuration.observe({ result }, Math.max(0, seconds));
    },
    pollLeadership(event) {
      leader.set(event.leader ? 1 : 0);
      epoch.set(event.leader ? event.epoch ?? 0 : 0);
    },
    geminiTokens(usage) {
      tokens.inc({ direction: 'prompt' }, nonNegative(usage.prompt));
      tokens.inc({ direction: 'output' }, nonNegative(usage.output));
      tokens.inc({ direction: 'thoughts' }, nonNegative(usage.thoughts));
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** Provider codes come from the outside: keep them short and plain, so they cannot explode the series. */
function labelValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 64) || 'unknown';
}

function nonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}
