import { createServer, Agent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { configSchema } from '../config/schema.js';
import { systemClock } from '../support/clock.js';
import { silentLogger } from '../support/logger.js';
import { openStore } from '../store/open-store.js';
import { createJobQueue } from '../lifecycle/jobs/job-queue.js';
import { receiveInbound } from '../lifecycle/whatsapp/receive-inbound.js';
import { createBatchedEnqueue } from '../lifecycle/whatsapp/batched-enqueue.js';
import { healthStatus } from '../lifecycle/doctor/health-status.js';
import { createHttpListener } from '../daemon/http/http-listener.js';
import { twilioRoutes } from '../daemon/http/twilio-routes.js';
import { verifyTwilioSignature } from '../clients/twilio/verify-signature.js';
import { signTwilioRequest } from '../sandbox/twilio-webhook.js';
import { percentile, type BenchFigure } from './bench-result.js';

export interface WebhookBenchOptions {
  /** Requests per server (default 5,000). */
  requests?: number;
  concurrency?: number;
  /** Each run stops here even if not all requests were sent (default 20 s). */
  timeLimitMs?: number;
}

// Generator, listener and bare server share one Node process (and its event loop), so these
// figures mostly measure the generator: the 'load' bench drives a real daemon from outside.
const SECTION = 'Inbound webhook listener in-process: generator + listener + bare server in one Node process (issue 4)';
const ROUNDS = 3;
const PUBLIC_URL = 'https://coach.example.com';

/**
 * All in this one process: signed Twilio webhooks at 50 concurrent keep-alive connections on
 * 127.0.0.1 against the real listener (signature check with the twilio library, MessageSid dedupe, durable job in a fresh
 * SQLite store), and the same load against a bare node:http server answering 200: requests/s,
 * p99 acknowledgement latency, and the ratio (goal >= 0.6).
 */
export async function runWebhookBench(options: WebhookBenchOptions = {}): Promise<BenchFigure[]> {
  const requests = options.requests ?? 5000;
  const concurrency = options.concurrency ?? 50;
  const timeLimitMs = options.timeLimitMs ?? 20_000;
  const authToken = 'bench-auth-token-0123456789abcdef';
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-bench-webhook-'));
  const store = await openStore({ sqlitePath: join(dir, 'rolplay.db') });
  const config = configSchema.parse({ server: { publicUrl: PUBLIC_URL }, twilio: { authToken } });
  const queue = createJobQueue(store, systemClock, config.jobs.maxAttempts);
  const enqueue = createBatchedEnqueue({ store, clock: systemClock, queue, config });
  const logger = silentLogger();
  const webhook = createHttpListener({
    host: '127.0.0.1', port: 0, logger,
    routes: twilioRoutes({
      publicUrl: PUBLIC_URL, maxBodyBytes: config.server.maxBodyBytes, validateSignatures: true, logger,
      verifySignature: (check) => verifyTwilioSignature({ authToken, ...check }),
      onInbound: (params) => receiveInbound({ queue, config, clock: systemClock }, params, enqueue),
    }),
    health: () => healthStatus({ store }),
  });
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
    });
  });
  try {
    await webhook.start();
    await listen(bare);
    const bodies = (n: number, offset: number) => Array.from({ length: n }, (_, i) => {
      const params = { MessageSid: `SM${(offset + i).toString(16).padStart(32, '0')}`, AccountSid: `AC${'0'.repeat(32)}`, From: `whatsapp:+1415555${String(i % 10_000).padStart(4, '0')}`, To: 'whatsapp:+14155238886', Body: 'How should I open the meeting with Acme tomorrow?', NumMedia: '0', ProfileName: 'Bench' };
      return { body: new URLSearchParams(params).toString(), signature: signTwilioRequest(authToken, `${PUBLIC_URL}/whatsapp-webhook`, params) };
    });
    // Warm both servers (JIT, SQLite page cache), then measure the bare one and the webhook in turn.
    await load(bareUrl(bare), bodies(500, 10_000_000), concurrency, timeLimitMs);
    await load(webhook.url(), bodies(500, 20_000_000), concurrency, timeLimitMs);
    // Three alternating rounds, medians compared: on a small machine one round of either server
    // can be slowed by whatever else runs, and a single pair made the ratio swing by 0.2.
    const bases: LoadResult[] = [];
    const hooks: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bases.push(await load(bareUrl(bare), bodies(requests, 30_000_000 + round * requests), concurrency, timeLimitMs));
      hooks.push(await load(webhook.url(), bodies(requests, 40_000_000 + round * requests), concurrency, timeLimitMs));
    }
    const failures = hooks.reduce((n, h) => n + h.failures, 0);
    if (failures > 0) throw new Error(`${failures} webhook requests were not answered 200`);
    const base = median(bases);
    const hooked = median(hooks);
    return [
      { section: SECTION, name: `bare node:http in-process, ${concurrency} conns (median of ${ROUNDS})`, value: base.rps, unit: 'req/s' },
      { section: SECTION, name: 'bare node:http p99 latency', value: base.p99, unit: 'ms' },
      { section: SECTION, name: `in-process listener, ${concurrency} conns (median of ${ROUNDS})`, value: hooked.rps, unit: 'req/s' },
      { section: SECTION, name: 'in-process listener p99 ack latency', value: hooked.p99, unit: 'ms' },
      { section: SECTION, name: 'in-process listener / bare throughput', value: hooked.rps / base.rps, unit: 'ratio', goal: '>= 0.6' },
    ];
  } finally {
    await webhook.stop();
    await new Promise((r) => bare.close(r));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LoadResult {
  rps: number;
  p99: number;
  failures: number;
}

/** The round with the median throughput (its p99 goes with it). */
function median(results: LoadResult[]): LoadResult {
  return [...results].sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)]!;
}

/** `concurrency` workers on keep-alive connections, each sending its share of the bodies in turn. */
async function load(url: string, bodies: Array<{ body: string; signature: string }>, concurrency: number, timeLimitMs: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const { hostname, port } = new URL(url);
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + timeLimitMs;
  const worker = async () => {
    while (next < bodies.length && performance.now() < deadline) {
      const item = bodies[next++]!;
      const t0 = performance.now();
      const status = await post(agent, hostname, Number(port), item.body, item.signature);
      latencies.push(performance.now() - t0);
      if (status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: (latencies.length / elapsed) * 1000, p99: percentile(latencies, 99), failures };
}

function post(agent: Agent, host: string, port: number, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host, port, agent, method: 'POST', path: '/whatsapp-webhook',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), 'X-Twilio-Signature': signature },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function bareUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
