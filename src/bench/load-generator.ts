/**
 * The load generator of the load bench, a process of its own (so its work is not charged to
 * the server it measures). It reads one JSON line on stdin (a LoadSpec or a ProbeSpec), runs
 * it, prints one JSON line with the result and exits.
 *
 * 'load': `connections` keep-alive connections post Twilio inbound WhatsApp webhooks, form
 * encoded and signed as Twilio signs them (X-Twilio-Signature over publicUrl +
 * /whatsapp-webhook), each with a distinct MessageSid, from the given senders in turn, spread
 * over the targets (several daemons). With `rate` > 0 the requests are paced to offer that
 * many per second in all (a connection still sends only after its previous answer); with 0,
 * each connection sends its next request as soon as the previous one is answered. A request
 * unanswered after `timeoutMs` is a failure (its connection is dropped and opened again), as is
 * any answer but 200. Bodies are built and signed before the clock starts.
 *
 * 'probe': one keep-alive connection asks each URL (GET /health) every `everyMs`, one request
 * at a time: the longest answer is how long the server could not answer anything at all.
 */
import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { inboundWhatsAppParams, signTwilioRequest } from '../sandbox/twilio-webhook.js';
import { scheduledOffsetMs, summarizeLatencies, type LatencySummary } from './load-summary.js';

export interface LoadSpec {
  mode: 'load';
  /** Base URLs (http://127.0.0.1:PORT) of the servers to load; connections are spread over them. */
  targets: string[];
  publicUrl: string;
  authToken: string;
  accountSid: string;
  /** E.164 numbers of registered salespeople; message i comes from senders[i % n]. */
  senders: string[];
  body: string;
  connections: number;
  durationMs: number;
  /** Requests per second offered in all; 0 = as fast as the answers come. */
  rate: number;
  timeoutMs: number;
  /** Upper bound on the requests built in advance (and so sent). */
  maxRequests: number;
}

export interface ProbeSpec {
  mode: 'probe';
  /** Full URLs, e.g. http://127.0.0.1:PORT/health. */
  urls: string[];
  everyMs: number;
  durationMs: number;
  timeoutMs: number;
}

export interface LoadResult {
  /** Epoch ms when the first request went out (for lining up with the simulators' times). */
  startedAt: number;
  sent: number;
  acks: number;
  timeouts: number;
  /** Answers other than 200, and connection errors. */
  errors: number;
  elapsedMs: number;
  acksPerSecond: number;
  /** Over every request: answered ones at their latency, timed-out ones at timeoutMs. */
  latency: LatencySummary;
  /** The pre-built requests ran out before the duration did. */
  exhausted: boolean;
}

export interface ProbeResult {
  timeouts: number;
  errors: number;
  latency: LatencySummary;
}

type Outcome = { status: number; ms: number } | { status: 'timeout' | 'error'; ms: number };

function send(agent: Agent, url: URL, method: 'GET' | 'POST', timeoutMs: number, body?: string, headers: Record<string, string | number> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let done = false;
    const finish = (status: Outcome['status']) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ status, ms: status === 'timeout' ? timeoutMs : performance.now() - t0 } as Outcome);
    };
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => finish(res.statusCode ?? 0));
      res.on('error', () => finish('error'));
    });
    const timer = setTimeout(() => {
      finish('timeout');
      req.destroy();
    }, timeoutMs);
    req.on('error', () => finish('error'));
    req.end(body);
  });
}

/** Builds and signs every request up front, and returns the run itself. */
function prepareLoad(spec: LoadSpec): () => Promise<LoadResult> {
  const total = Math.min(spec.maxRequests, spec.rate > 0 ? Math.ceil((spec.rate * spec.durationMs) / 1000) + spec.connections : spec.maxRequests);
  // Distinct across runs and processes: 8 random hex digits, then a counter.
  const prefix = randomBytes(4).toString('hex');
  const webhookUrl = `${spec.publicUrl.replace(/\/+$/, '')}/whatsapp-webhook`;
  const items = Array.from({ length: total }, (_, i) => {
    const params = inboundWhatsAppParams({
      accountSid: spec.accountSid, from: spec.senders[i % spec.senders.length]!, body: spec.body,
      messageSid: `SM${prefix}${i.toString(16).padStart(24, '0')}`, profileName: 'Load Bench',
    });
    const body = new URLSearchParams(params).toString();
    return { body, signature: signTwilioRequest(spec.authToken, webhookUrl, params) };
  });
  return () => runLoad(spec, items);
}

async function runLoad(spec: LoadSpec, items: Array<{ body: string; signature: string }>): Promise<LoadResult> {
  const targets = spec.targets.map((t) => new URL(`${t.replace(/\/+$/, '')}/whatsapp-webhook`));
  const perTarget = Math.ceil(spec.connections / targets.length);
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: perTarget }));
  const latencies: number[] = [];
  let next = 0;
  let acks = 0;
  let timeouts = 0;
  let errors = 0;
  const startedAt = Date.now();
  const started = performance.now();
  const deadline = started + spec.durationMs;
  const worker = async (w: number) => {
    const target = w % targets.length;
    for (let k = 0; ; k++) {
      const wait = started + scheduledOffsetMs(k, w, spec.connections, spec.rate) - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (performance.now() >= deadline || next >= items.length) return;
      const item = items[next++]!;
      const outcome = await send(agents[target]!, targets[target]!, 'POST', spec.timeoutMs, item.body, {
        'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(item.body),
        'X-Twilio-Signature': item.signature, 'User-Agent': 'TwilioProxy/1.1',
      });
      latencies.push(outcome.ms);
      if (outcome.status === 200) acks++;
      else if (outcome.status === 'timeout') timeouts++;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, (_, w) => worker(w)));
  const elapsedMs = performance.now() - started;
  for (const agent of agents) agent.destroy();
  return {
    startedAt, sent: next, acks, timeouts, errors, elapsedMs,
    acksPerSecond: (acks / elapsedMs) * 1000,
    latency: summarizeLatencies(latencies, elapsedMs),
    exhausted: next >= items.length && elapsedMs < spec.durationMs,
  };
}

async function runProbe(spec: ProbeSpec): Promise<ProbeResult> {
  const latencies: number[] = [];
  let timeouts = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(spec.urls.map(async (raw) => {
    const url = new URL(raw);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let k = 1; performance.now() - started < spec.durationMs; k++) {
      const outcome = await send(agent, url, 'GET', spec.timeoutMs);
      latencies.push(outcome.ms);
      if (outcome.status === 'timeout') timeouts++;
      else if (outcome.status !== 200) errors++;
      const wait = started + k * spec.everyMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    agent.destroy();
  }));
  return { timeouts, errors, latency: summarizeLatencies(latencies, performance.now() - started) };
}

/**
 * stdin carries two lines: the spec, then (after this process printed {prepared: true}) "go",
 * so that the load and the probe start together, after the bodies were built and signed.
 */
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const spec = JSON.parse(String((await lines.next()).value)) as LoadSpec | ProbeSpec;
const run = spec.mode === 'probe' ? () => runProbe(spec) : prepareLoad(spec);
process.stdout.write(`${JSON.stringify({ prepared: true })}\n`);
await lines.next();
const result = await run();
process.stdout.write(`${JSON.stringify({ result })}\n`, () => process.exit(0));
