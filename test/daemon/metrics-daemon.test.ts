import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnRolplay, type DaemonProcess } from '../helpers/daemon-process.js';
import { tempConfig } from '../helpers/run-cli.js';
import { parsePrometheusText, samplesOf, valueOf, type Exposition } from '../helpers/prometheus-text.js';
import { until } from './twilio-daemon-world.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { startTwilioSimulator } from '../../src/sandbox/twilio-simulator.js';
import { startGeminiSimulator } from '../../src/sandbox/gemini-simulator.js';
import { startGraphSimulator } from '../../src/sandbox/graph-simulator.js';
import { startMicrosoftTokenSimulator } from '../../src/sandbox/microsoft-token-simulator.js';
import { inboundWhatsAppParams, postSignedForm } from '../../src/sandbox/twilio-webhook.js';
import { enqueueInput } from '../../src/lifecycle/jobs/job-queue.js';
import { jobRequest } from '../../src/lifecycle/jobs/job-kind.js';
import { SEND_REMINDER } from '../../src/lifecycle/jobs/job-kinds.js';
import { sendWhatsAppRequest } from '../../src/lifecycle/whatsapp/send-request.js';
import { freePort } from '../../src/support/free-port.js';

const TOKEN = 'scrape-me-4b9e1d7c';
const SAM = '+14155550100';
const KIM = '+14155550101';
/** Has not written in 24 hours: WhatsApp refuses free text to this number (Twilio 63016). */
const SILENT = '+14155550177';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
});

function spawn(path: string, env: NodeJS.ProcessEnv = {}): DaemonProcess {
  const daemon = spawnRolplay(['start', '--config', path], env);
  cleanup.push(async () => {
    daemon.kill('SIGKILL');
    await daemon.exited;
  });
  return daemon;
}

async function openTemp(dir: string): Promise<Store> {
  const store = await openStore({ dataDir: join(dir, 'data') });
  cleanup.push(() => store.close());
  return store;
}

/**
 * `rolplay start` (the built CLI) as a child process, scraped as Prometheus would: off by
 * default, behind the bearer token when it is on, and the series move with real work done
 * through the simulators (a webhook, a Gemini answer, a reminder, a refused send, calendar polls).
 */
describe('GET /metrics on a running daemon', () => {
  it('is 404 while server.metrics is off', async () => {
    const port = await freePort();
    const { path } = tempConfig({ server: { host: '127.0.0.1', port } });
    const daemon = spawn(path, { ROLPLAY_SERVER_METRICS_TOKEN: TOKEN });
    await daemon.waitFor((e) => e.msg === 'rolplay started');
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  }, 20_000);

  it('wants the bearer token, then reports jobs, webhooks, reminders, failures, polls, leadership, Gemini tokens and the process', async () => {
    const twilio = await startTwilioSimulator({ outsideWindow: [SILENT] });
    const gemini = await startGeminiSimulator();
    const tokens = await startMicrosoftTokenSimulator();
    const graph = await startGraphSimulator({ botEmail: 'coach-bot@example.com', tokens });
    cleanup.push(() => twilio.close(), () => gemini.close(), () => graph.close(), () => tokens.close());
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { dir, path } = tempConfig({
      server: { host: '127.0.0.1', port, publicUrl: base, metrics: true },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
      microsoft: { tenantId: tokens.tenantId, clientId: tokens.clientId, clientSecret: tokens.clientSecret, authorityHost: tokens.url, graphBaseUrl: graph.url, pollSeconds: 1 },
      schedule: { reminderDelayMinutes: 1 },
    });
    const store = await openTemp(dir);
    const now = Date.now();
    const sam = (await store.users.upsert({ email: 'sam@example.com', name: 'Sam Seller', phone: SAM, timezone: 'UTC' }, now)).user;
    await store.users.upsert({ email: 'kim@example.com', name: 'Kim Seller', phone: KIM, timezone: 'UTC' }, now);
    // A meeting that ended 61 s ago: its reminder fell due a second ago.
    const meeting = await store.meetings.insert({
      event_id: 'import-1', source: 'import', title: 'Acme renewal', start_at: now - 3_600_000, end_at: now - 61_000,
      organizer_email: sam.email, user_id: sam.id, status: 'plan_sent', created_at: now, updated_at: now,
    });
    const dueAt = meeting.end_at + 60_000;
    await store.jobs.enqueue(enqueueInput(jobRequest(SEND_REMINDER, { meetingId: meeting.id }, { runAt: dueAt, dedupeKey: `send_reminder:${meeting.id}`, meetingId: meeting.id }), now, 8), now);
    // An admin text WhatsApp refuses (63016): it fails for good, once.
    await store.jobs.enqueue(enqueueInput(sendWhatsAppRequest({ to: SILENT, body: 'ops notice', kind: 'admin' }, 'admin:1'), now, 8), now);

    const daemon = spawn(path, { ROLPLAY_SERVER_METRICS_TOKEN: TOKEN });
    await daemon.waitFor((e) => e.msg === 'rolplay started');
    const scrape = async (authorization?: string) => fetch(`${base}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });

    const anonymous = await scrape();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    const wrong = await scrape('Bearer not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');

    // Activity: a salesperson asks the coach (a webhook, then Gemini and a reply), and a stray URL.
    const params = inboundWhatsAppParams({ accountSid: twilio.accountSid, from: KIM, body: 'How should I open the call?' });
    expect((await postSignedForm({ url: `${base}/whatsapp-webhook`, params, authToken: twilio.authToken, timeoutMs: 15_000 })).status).toBe(200);
    expect((await fetch(`${base}/users/alice%40example.com?x=1`)).status).toBe(404);

    let text = '';
    const read = async (): Promise<Exposition> => {
      const res = await scrape(`Bearer ${TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      text = await res.text();
      return parsePrometheusText(text);
    };
    // The job gauge is counted at most every 2 s: wait until it shows the work done.
    const m = await until(async () => {
      const e = await read();
      const jobs = (kind: string, state: string) => valueOf(e, 'rolplay_jobs', { kind, state }) ?? 0;
      const ready = jobs('send_whatsapp', 'done') >= 2 && jobs('send_whatsapp', 'failed') >= 1 && jobs('handle_inbound', 'done') >= 1 && jobs('send_reminder', 'done') >= 1
        && (valueOf(e, 'rolplay_reminder_lateness_seconds_count') ?? 0) >= 1
        && (valueOf(e, 'rolplay_calendar_polls_total', { result: 'ok' }) ?? 0) >= 1
        && (valueOf(e, 'rolplay_gemini_tokens_total', { direction: 'output' }) ?? 0) > 0;
      return ready ? e : undefined;
    }, 15_000, 'the metrics to show the work');

    // Jobs by kind and state, from the store.
    expect(valueOf(m, 'rolplay_jobs', { kind: 'send_whatsapp', state: 'failed' })).toBe(1);
    expect(valueOf(m, 'rolplay_jobs', { kind: 'handle_inbound', state: 'done' })).toBe(1);
    expect(valueOf(m, 'rolplay_jobs', { kind: 'send_reminder', state: 'done' })).toBe(1);
    expect(valueOf(m, 'rolplay_jobs', { kind: 'prepare_plan', state: 'pending' })).toBe(0);
    // Job durations and attempts by kind and result; the permanent failure by provider and code.
    expect(valueOf(m, 'rolplay_job_duration_seconds_count', { kind: 'send_whatsapp', result: 'done' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(m, 'rolplay_job_duration_seconds_count', { kind: 'send_whatsapp', result: 'failed' })).toBe(1);
    expect(valueOf(m, 'rolplay_job_attempts_sum', { kind: 'send_whatsapp', result: 'failed' })).toBe(1);
    expect(samplesOf(m, 'rolplay_job_permanent_failures_total')).toEqual([{ name: 'rolplay_job_permanent_failures_total', labels: { provider: 'twilio', code: '63016' }, value: 1 }]);
    // Requests by route pattern: the stray URL is "unmatched", never itself a label.
    expect(valueOf(m, 'rolplay_http_requests_total', { route: '/whatsapp-webhook', status: '200' })).toBe(1);
    expect(valueOf(m, 'rolplay_http_requests_total', { route: '/metrics', status: '401' })).toBe(2);
    expect(valueOf(m, 'rolplay_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(text).not.toContain('alice');
    // The reminder went to Twilio seconds after it fell due (the daemon's start-up included).
    expect(twilio.sentTo(SAM)).toHaveLength(1);
    expect(valueOf(m, 'rolplay_reminder_lateness_seconds_count')).toBe(1);
    const lateness = valueOf(m, 'rolplay_reminder_lateness_seconds_sum')!;
    expect(lateness).toBeGreaterThan(0.5);
    expect(lateness).toBeLessThan((Date.now() - dueAt) / 1000);
    // Calendar polls (SQLite: this daemon leads, with no lease epoch) and Gemini's tokens.
    expect(m.types.get('rolplay_calendar_poll_duration_seconds')).toBe('histogram');
    expect(valueOf(m, 'rolplay_calendar_poll_duration_seconds_count', { result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(m, 'rolplay_calendar_polls_total', { result: 'error' })).toBe(0);
    expect([valueOf(m, 'rolplay_calendar_poll_leader'), valueOf(m, 'rolplay_calendar_poll_lease_epoch')]).toEqual([1, 0]);
    expect(valueOf(m, 'rolplay_gemini_tokens_total', { direction: 'prompt' })).toBeGreaterThan(0);
    expect(twilio.sentTo(KIM)).toHaveLength(1);
    // Process metrics, prefixed.
    expect(valueOf(m, 'rolplay_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(samplesOf(m, 'rolplay_nodejs_heap_size_used_bytes')).toHaveLength(1);
    // Every series is rolplay's, and the token is in no log line.
    expect(m.samples.every((s) => s.name.startsWith('rolplay_'))).toBe(true);
    expect(daemon.lines.some((l) => l.includes('serving Prometheus metrics'))).toBe(true);
    expect(daemon.lines.join('\n')).not.toContain(TOKEN);
  }, 30_000);
});
