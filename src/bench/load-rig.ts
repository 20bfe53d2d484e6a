import { fileURLToPath } from 'node:url';
import type { Children, JsonChild } from './load-children.js';
import type { LoadResult, LoadSpec, ProbeResult, ProbeSpec } from './load-generator.js';
import type { AcceptedMessage } from './load-summary.js';

const script = (name: string) => fileURLToPath(new URL(`./${name}.js`, import.meta.url));

/** What the daemon under test is pointed at, as the simulators process printed it. */
export interface SimsInfo {
  twilio: { url: string; accountSid: string; authToken: string };
  gemini: { url: string; apiKey: string };
}

export interface SimLatency {
  twilioMs: [number, number];
  geminiMs: [number, number];
}

/**
 * The processes around the daemon under test: the simulators, the bare node:http server, and
 * the load generator and /health prober started for each round.
 */
export interface LoadRig {
  sims: SimsInfo;
  /** gemini.concurrency of every daemon under test (undefined: the config's default). */
  geminiConcurrency?: number;
  conversationLane?: number;
  whatsappLane?: number;
  bareUrl: string;
  /** Messages the Twilio simulator accepted, from index `from` on, and how many it holds. */
  messages(from: number): Promise<{ total: number; messages: AcceptedMessage[] }>;
  /** One round: the load and (when given URLs) the prober, started together; both results. */
  round(load: Omit<LoadSpec, 'mode'>, probeUrls?: string[]): Promise<{ load: LoadResult; probe?: ProbeResult }>;
}

export async function startLoadRig(children: Children, latency: SimLatency, tuning: Pick<LoadRig, 'geminiConcurrency' | 'conversationLane' | 'whatsappLane'> = {}): Promise<LoadRig> {
  const simsProcess = children.node(script('load-sims'), [JSON.stringify({ twilioLatencyMs: latency.twilioMs, geminiLatencyMs: latency.geminiMs })]);
  const bare = children.node(script('bare-server'));
  const sims = (await simsProcess.nextLine(15_000, (l) => l.ready === true)) as unknown as SimsInfo;
  const bareUrl = String((await bare.nextLine(15_000, (l) => typeof l.url === 'string')).url);
  let requestId = 0;
  return {
    sims,
    ...tuning,
    bareUrl,
    async messages(from) {
      const id = ++requestId;
      simsProcess.send({ id, cmd: 'messages', from });
      const answer = await simsProcess.nextLine(30_000, (l) => l.id === id);
      return { total: Number(answer.total), messages: answer.messages as AcceptedMessage[] };
    },
    async round(load, probeUrls) {
      const limit = load.durationMs + load.timeoutMs + 60_000;
      const generator = children.node(script('load-generator'));
      const prober = probeUrls && probeUrls.length > 0 ? children.node(script('load-generator')) : undefined;
      try {
        generator.send({ mode: 'load', ...load } satisfies LoadSpec);
        // The probe outlasts the load by a second, so a stall at its very end is still seen.
        prober?.send({ mode: 'probe', urls: probeUrls!, everyMs: 20, durationMs: load.durationMs + 1000, timeoutMs: 10_000 } satisfies ProbeSpec);
        await generator.nextLine(limit, (l) => l.prepared === true);
        await prober?.nextLine(limit, (l) => l.prepared === true);
        generator.send('go');
        prober?.send('go');
        const [loadResult, probeResult] = await Promise.all([resultOf(generator, limit), prober ? resultOf(prober, limit) : undefined]);
        return { load: loadResult as LoadResult, probe: probeResult as ProbeResult | undefined };
      } finally {
        await Promise.all([generator.stop(1000), prober?.stop(1000)]);
      }
    },
  };
}

async function resultOf(child: JsonChild, limitMs: number): Promise<unknown> {
  return (await child.nextLine(limitMs, (l) => l.result !== undefined)).result;
}
