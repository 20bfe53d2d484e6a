import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics, type PrometheusMetricsOptions } from '../../../src/daemon/metrics/prometheus-metrics.js';
import type { JobCount } from '../../../src/daemon/metrics/cached-job-counts.js';
import { failureLabels } from '../../../src/support/metrics.js';
import { ProviderError, StoreError } from '../../../src/support/errors.js';
import { JobPayloadError } from '../../../src/lifecycle/jobs/job-payload.js';
import { parsePrometheusText, samplesOf, valueOf } from '../../helpers/prometheus-text.js';

/** A jobs table whose grouped count the test sets, counting how often it is read. */
function fakeJobs(initial: JobCount[] = []) {
  const state = { rows: initial, reads: 0, fail: false, t: 0 };
  const options: PrometheusMetricsOptions = {
    kinds: ['send_whatsapp'],
    cacheMs: 2000,
    now: () => state.t,
    jobCounts: async () => {
      state.reads++;
      if (state.fail) throw new Error('database is locked');
      return state.rows;
    },
  };
  return { state, options };
}

const scrape = async (m: { scrape(): Promise<{ body: string }> }) => parsePrometheusText((await m.scrape()).body);

describe('Prometheus metrics', () => {
  it('counts jobs by kind and state at scrape time, at most once per cache period however many scrape', async () => {
    const { state, options } = fakeJobs([{ kind: 'send_whatsapp', status: 'pending', n: 3 }, { kind: 'plan_v0', status: 'failed', n: 1 }]);
    const metrics = createPrometheusMetrics(options);
    const [a, b] = await Promise.all([scrape(metrics), scrape(metrics)]);
    expect(state.reads).toBe(1);
    expect(a.types.get('rolplay_jobs')).toBe('gauge');
    expect(valueOf(a, 'rolplay_jobs', { kind: 'send_whatsapp', state: 'pending' })).toBe(3);
    // A kind known only from the store (an older version's rows) is reported too.
    expect(valueOf(b, 'rolplay_jobs', { kind: 'plan_v0', state: 'failed' })).toBe(1);
    // Known kinds have every state, at 0 until something is there.
    expect(samplesOf(a, 'rolplay_jobs', { kind: 'send_whatsapp' }).map((s) => s.labels.state).sort()).toEqual(['cancelled', 'done', 'failed', 'pending', 'running', 'waiting']);

    state.rows = [{ kind: 'send_whatsapp', status: 'done', n: 3 }];
    state.t = 1999;
    expect(valueOf(await scrape(metrics), 'rolplay_jobs', { kind: 'send_whatsapp', state: 'pending' })).toBe(3);
    expect(state.reads).toBe(1);
    state.t = 2000;
    const later = await scrape(metrics);
    expect(state.reads).toBe(2);
    // A state that emptied shows 0, not the last value or a gap.
    expect(valueOf(later, 'rolplay_jobs', { kind: 'send_whatsapp', state: 'pending' })).toBe(0);
    expect(valueOf(later, 'rolplay_jobs', { kind: 'send_whatsapp', state: 'done' })).toBe(3);
  });

  it('a failing store fails the scrape, and is not asked again until the cache period is over', async () => {
    const { state, options } = fakeJobs();
    state.fail = true;
    const metrics = createPrometheusMetrics(options);
    await expect(metrics.scrape()).rejects.toThrow('database is locked');
    await expect(metrics.scrape()).rejects.toThrow('database is locked');
    expect(state.reads).toBe(1);
    state.fail = false;
    state.t = 5000;
    await expect(metrics.scrape()).resolves.toMatchObject({ contentType: 'text/plain; version=0.0.4; charset=utf-8' });
    expect(state.reads).toBe(2);
  });

  it('keeps each daemon\'s series in its own registry', async () => {
    const a = createPrometheusMetrics(fakeJobs().options);
    const b = createPrometheusMetrics(fakeJobs().options);
    a.httpRequest({ route: '/health', status: '200' });
    a.geminiTokens({ prompt: 10, output: 5, thoughts: 2 });
    const [ta, tb] = [await scrape(a), await scrape(b)];
    expect(valueOf(ta, 'rolplay_http_requests_total', { route: '/health', status: '200' })).toBe(1);
    expect(valueOf(tb, 'rolplay_http_requests_total', { route: '/health', status: '200' })).toBeUndefined();
    expect(valueOf(ta, 'rolplay_gemini_tokens_total', { direction: 'prompt' })).toBe(10);
    expect(valueOf(tb, 'rolplay_gemini_tokens_total', { direction: 'prompt' })).toBe(0);
    // Process metrics, prefixed, in both.
    for (const t of [ta, tb]) expect(samplesOf(t, 'rolplay_process_cpu_seconds_total')).toHaveLength(1);
  });

  it('records jobs, failures, reminders, polls and leadership under the documented names', async () => {
    const metrics = createPrometheusMetrics(fakeJobs().options);
    metrics.jobFinished({ kind: 'send_whatsapp', result: 'retry', seconds: 0.2, attempts: 1 });
    metrics.jobFinished({ kind: 'send_whatsapp', result: 'done', seconds: 0.3, attempts: 2 });
    metrics.permanentFailure({ provider: 'twilio', code: '63016' });
    metrics.permanentFailure({ provider: 'graph', code: 'weird code{"}\n'.repeat(10) });
    metrics.reminderSent(-0.4);
    metrics.reminderSent(42);
    metrics.calendarPolled({ result: 'error', seconds: 1.5 });
    metrics.pollLeadership({ leader: true, epoch: 7 });
    const t = await scrape(metrics);
    expect(valueOf(t, 'rolplay_job_duration_seconds_count', { kind: 'send_whatsapp', result: 'retry' })).toBe(1);
    expect(valueOf(t, 'rolplay_job_duration_seconds_sum', { kind: 'send_whatsapp', result: 'done' })).toBeCloseTo(0.3);
    // Attempts are observed when a job is over, not on each retry.
    expect(valueOf(t, 'rolplay_job_attempts_count', { kind: 'send_whatsapp', result: 'retry' })).toBeUndefined();
    expect(valueOf(t, 'rolplay_job_attempts_sum', { kind: 'send_whatsapp', result: 'done' })).toBe(2);
    expect(valueOf(t, 'rolplay_job_permanent_failures_total', { provider: 'twilio', code: '63016' })).toBe(1);
    const odd = samplesOf(t, 'rolplay_job_permanent_failures_total', { provider: 'graph' })[0]!;
    expect(odd.labels.code).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
    expect(valueOf(t, 'rolplay_reminder_lateness_seconds_count')).toBe(2);
    expect(valueOf(t, 'rolplay_reminder_lateness_seconds_sum')).toBe(42);
    expect(valueOf(t, 'rolplay_reminder_lateness_seconds_bucket', { le: '1' })).toBe(1);
    expect(valueOf(t, 'rolplay_calendar_polls_total', { result: 'error' })).toBe(1);
    expect(valueOf(t, 'rolplay_calendar_polls_total', { result: 'ok' })).toBe(0);
    expect(valueOf(t, 'rolplay_calendar_poll_duration_seconds_count', { result: 'error' })).toBe(1);
    expect([valueOf(t, 'rolplay_calendar_poll_leader'), valueOf(t, 'rolplay_calendar_poll_lease_epoch')]).toEqual([1, 7]);
    metrics.pollLeadership({ leader: false });
    const after = await scrape(metrics);
    expect([valueOf(after, 'rolplay_calendar_poll_leader'), valueOf(after, 'rolplay_calendar_poll_lease_epoch')]).toEqual([0, 0]);
  });
});

describe('failureLabels', () => {
  it('names the provider and its own code, or rolplay\'s code', () => {
    expect(failureLabels(new ProviderError('x', { provider: 'twilio', retryable: false, providerCode: 63016 }))).toEqual({ provider: 'twilio', code: '63016' });
    expect(failureLabels(new ProviderError('x', { provider: 'gemini', retryable: true, status: 503 }))).toEqual({ provider: 'gemini', code: '503' });
    expect(failureLabels(new ProviderError('x', { provider: 'hubspot', retryable: false, code: 'HUBSPOT_AUTH' }))).toEqual({ provider: 'hubspot', code: 'HUBSPOT_AUTH' });
    expect(failureLabels(new JobPayloadError('send_whatsapp', 'bad'))).toEqual({ provider: 'none', code: 'JOB_PAYLOAD_INVALID' });
    expect(failureLabels(new StoreError('full', { reason: 'full' }))).toEqual({ provider: 'none', code: 'STORE_ERROR' });
    expect(failureLabels(new TypeError('oops'))).toEqual({ provider: 'none', code: 'UNEXPECTED' });
  });
});
