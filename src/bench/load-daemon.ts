import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openStore, type Store } from '../store/open-store.js';
import { sleep, type Children, type JsonChild } from './load-children.js';
import { freePort } from '../support/free-port.js';
import type { LoadRig } from './load-rig.js';

const BIN = fileURLToPath(new URL('../../bin/rolplay.js', import.meta.url));
/** What Twilio would call; signatures are computed over it, as behind a real proxy. */
export const PUBLIC_URL = 'https://coach.bench.example';

/** A fresh, empty store for one phase: a SQLite file in a temporary folder, or a new PostgreSQL database. */
export interface BenchStore {
  kind: 'sqlite' | 'postgres';
  dir: string;
  /** The keys of config.json that point a daemon at it. */
  config: { dataDir: string; database: { url: string } };
  /** Opens it in the bench process (seeding, counting); migrations run on the first open. */
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

export async function createBenchStore(kind: 'sqlite' | 'postgres', postgresUrl: string): Promise<BenchStore> {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-bench-load-'));
  const dataDir = join(dir, 'data');
  if (kind === 'sqlite') {
    return {
      kind, dir, config: { dataDir, database: { url: '' } },
      open: () => openStore({ dataDir }),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  // One throw-away database per phase, dropped afterwards (FORCE ends a daemon's leftover connections).
  const name = `rolplay_bench_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(postgresUrl, `CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    kind, dir, config: { dataDir, database: { url: databaseUrl } },
    open: () => openStore({ databaseUrl }),
    dispose: async () => {
      await adminQuery(postgresUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(postgresUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface DaemonsUnderTest {
  /** http://127.0.0.1:PORT of each daemon. */
  urls: string[];
  healthUrls: string[];
  processes: JsonChild[];
  /** SIGTERM (a graceful stop), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/**
 * `count` real `rolplay start` processes (the built CLI) on one store, each on its own
 * loopback port, pointed at the simulators, signatures checked against PUBLIC_URL, log level
 * warn. Resolves once every /health answers 200.
 */
export async function startDaemons(children: Children, store: BenchStore, rig: Pick<LoadRig, 'sims' | 'geminiConcurrency' | 'conversationLane' | 'whatsappLane'>, count = 1): Promise<DaemonsUnderTest> {
  const { sims } = rig;
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const processes = ports.map((port, i) => {
    const config = join(store.dir, `config-${i}.json`);
    writeFileSync(config, JSON.stringify({
      bot: { email: 'coach-bot@bench.example' },
      ...store.config,
      server: { host: '127.0.0.1', port, publicUrl: PUBLIC_URL },
      twilio: { accountSid: sims.twilio.accountSid, authToken: sims.twilio.authToken, apiBaseUrl: sims.twilio.url, validateSignatures: true },
      gemini: { apiKey: sims.gemini.apiKey, baseUrl: sims.gemini.url, ...(rig.geminiConcurrency ? { concurrency: rig.geminiConcurrency } : {}) },
      jobs: { concurrency: { ...(rig.conversationLane ? { conversation: rig.conversationLane } : {}), ...(rig.whatsappLane ? { whatsapp: rig.whatsappLane } : {}) } },
      log: { level: 'warn' },
    }, null, 2));
    return children.node(BIN, ['start', '--config', config], { ROLPLAY_LOG_LEVEL: 'warn' });
  });
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const daemons: DaemonsUnderTest = {
    urls,
    healthUrls: urls.map((u) => `${u}/health`),
    processes,
    stop: async () => {
      await Promise.all(processes.map((p) => p.stop(10_000)));
    },
  };
  try {
    await Promise.all(processes.map((p, i) => waitHealthy(p, daemons.healthUrls[i]!, 30_000)));
  } catch (error) {
    await daemons.stop();
    throw error;
  }
  return daemons;
}

async function waitHealthy(daemon: JsonChild, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void daemon.exited.then(() => { exited = true; });
  while (Date.now() < deadline && !exited) {
    const status = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error(`rolplay start did not answer ${url} with 200 ${exited ? '(it exited)' : `within ${timeoutMs} ms`}; its stderr ends with:\n${daemon.stderrTail().slice(-1500)}`);
}
