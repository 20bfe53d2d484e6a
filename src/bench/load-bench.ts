import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import type { BenchFigure } from './bench-result.js';
import { withChildren } from './load-children.js';
import { startLoadRig } from './load-rig.js';
import { runAckPhase } from './load-ack-phase.js';
import { runE2ePhase } from './load-e2e-phase.js';
import { runBacklogPhase } from './load-backlog-phase.js';

export interface LoadBenchOptions {
  connections: number;
  /** Registered salespeople the inbound messages come from. */
  users: number;
  ackRoundMs: number;
  ackRounds: number;
  e2eMs: number;
  /** Inbound messages offered per second in the end-to-end runs (the goal is 500 answered/s). */
  e2eRate: number;
  e2eTailMs: number;
  reminders: number;
  backlogJobs: number;
  backlogLimitMs: number;
  claimJobs: number;
  twilioLatencyMinMs: number;
  twilioLatencyMaxMs: number;
  geminiLatencyMinMs: number;
  geminiLatencyMaxMs: number;
  /** gemini.concurrency of the daemons under test; 0 = the config's default. */
  geminiConcurrency: number;
  /** jobs.concurrency.conversation and .whatsapp of the daemons under test; 0 = the defaults. */
  conversationLane: number;
  whatsappLane: number;
  /** Server for the PostgreSQL runs (a database is created and dropped on it); '' skips them. */
  postgresUrl: string;
}

export const defaultLoadOptions: LoadBenchOptions = {
  connections: 50,
  users: 500,
  ackRoundMs: 5000,
  ackRounds: 3,
  e2eMs: 30_000,
  e2eRate: 600,
  e2eTailMs: 5000,
  reminders: 100,
  backlogJobs: 50_000,
  backlogLimitMs: 30_000,
  claimJobs: 100_000,
  // Realistic but fast: Twilio's Messages API answers in ~100-300 ms and Gemini in ~0.5-2 s
  // from a real server; a fifth to a tenth of that keeps the simulators from being what is measured.
  twilioLatencyMinMs: 20,
  twilioLatencyMaxMs: 60,
  geminiLatencyMinMs: 40,
  geminiLatencyMaxMs: 120,
  // The default of 4 suits a small Gemini quota; 500 answers/s at these latencies need ~40 calls
  // in flight, so the daemon under test is configured as an operator with that quota would.
  geminiConcurrency: 64,
  conversationLane: 64,
  whatsappLane: 32,
  postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
};

/**
 * The defaults, then ROLPLAY_BENCH_DATABASE_URL, then `--load-<option>=<value>` flags
 * (e.g. --load-e2eMs=10000, --load-postgresUrl= to skip PostgreSQL).
 */
export function loadOptionsFrom(argv: string[], env: NodeJS.ProcessEnv = process.env, defaults: LoadBenchOptions = defaultLoadOptions): LoadBenchOptions {
  const options: LoadBenchOptions = { ...defaults };
  if (env.ROLPLAY_BENCH_DATABASE_URL !== undefined) options.postgresUrl = env.ROLPLAY_BENCH_DATABASE_URL;
  for (const arg of argv) {
    const m = /^--load-(\w+)=(.*)$/.exec(arg);
    if (!m) continue;
    const key = m[1] as keyof LoadBenchOptions;
    if (!(key in defaults)) throw new Error(`unknown load bench option --load-${m[1]} (known: ${Object.keys(defaults).join(', ')})`);
    if (typeof defaults[key] === 'number') {
      const value = Number(m[2]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`--load-${key} expects a number, got "${m[2]}"`);
      (options[key] as number) = value;
    } else {
      (options[key] as string) = m[2]!;
    }
  }
  return options;
}

const BODY = 'How should I answer the pricing objection Acme raised in our last call?';

/**
 * The real daemon under load (issue 12): `rolplay start` child processes on fresh stores, the
 * Twilio and Gemini simulators in another process, the load generator (and a /health prober)
 * in others, and a bare node:http server measured the same way in the same run.
 */
export async function runLoadBench(options: LoadBenchOptions = defaultLoadOptions): Promise<BenchFigure[]> {
  const latency = `Twilio sim ${options.twilioLatencyMinMs}-${options.twilioLatencyMaxMs} ms, Gemini sim ${options.geminiLatencyMinMs}-${options.geminiLatencyMaxMs} ms; ` +
    `gemini.concurrency ${options.geminiConcurrency || 'default'}, lanes conversation ${options.conversationLane || 'default'} / whatsapp ${options.whatsappLane || 'default'}`;
  return withChildren(async (children) => {
    const rig = await startLoadRig(children, {
      twilioMs: [options.twilioLatencyMinMs, options.twilioLatencyMaxMs],
      geminiMs: [options.geminiLatencyMinMs, options.geminiLatencyMaxMs],
    }, { geminiConcurrency: options.geminiConcurrency || undefined, conversationLane: options.conversationLane || undefined, whatsappLane: options.whatsappLane || undefined });
    // Whatever else runs on the machine takes from every figure below: say how busy it was.
    const machine = `Real daemon: the machine (${cpus().length} cores)`;
    const figures: BenchFigure[] = [{ section: machine, name: 'load average (1 min) before the load bench', value: loadavg()[0]!, unit: 'runnable' }];
    const step = (what: string) => process.stderr.write(`  load: ${what}...\n`);
    step('signed webhooks, rolplay start vs bare node:http');
    figures.push(...await runAckPhase(children, rig, {
      connections: options.connections, users: options.users, roundMs: options.ackRoundMs, rounds: options.ackRounds, body: BODY,
    }, `Real daemon: signed inbound webhooks, SQLite, separate processes (${latency})`));

    const e2e = { connections: options.connections, users: options.users, durationMs: options.e2eMs, rate: options.e2eRate, tailMs: options.e2eTailMs, body: BODY };
    const e2eSection = `Real daemon: end to end, ${Math.round(options.e2eMs / 1000)} s at ${options.e2eRate} msgs/s offered (${latency})`;
    step('end to end on SQLite, with reminders due');
    figures.push(...await runE2ePhase(children, rig, { store: 'sqlite', daemons: 1, postgresUrl: '', label: 'SQLite' }, { ...e2e, reminders: options.reminders, startLeadMs: 10_000 }, e2eSection));
    if (await postgresReachable(options.postgresUrl)) {
      step('end to end on PostgreSQL, one daemon');
      figures.push(...await runE2ePhase(children, rig, { store: 'postgres', daemons: 1, postgresUrl: options.postgresUrl, label: 'PG, 1 daemon' }, { ...e2e, reminders: 0, startLeadMs: 0 }, e2eSection));
      step('end to end on PostgreSQL, three daemons');
      figures.push(...await runE2ePhase(children, rig, { store: 'postgres', daemons: 3, postgresUrl: options.postgresUrl, label: 'PG, 3 daemons' }, { ...e2e, reminders: 0, startLeadMs: 0 }, e2eSection));
    } else {
      process.stderr.write('  load: PostgreSQL is not reachable (--load-postgresUrl / ROLPLAY_BENCH_DATABASE_URL): its runs are skipped\n');
    }
    step(`a backlog of ${options.backlogJobs} due sends`);
    figures.push(...await runBacklogPhase(children, rig, { jobs: options.backlogJobs, limitMs: options.backlogLimitMs, claimJobs: options.claimJobs }, 'Real daemon: backlog drain, SQLite'));
    figures.splice(1, 0, { section: machine, name: 'load average (1 min) after it', value: loadavg()[0]!, unit: 'runnable' });
    return figures;
  });
}

async function postgresReachable(url: string): Promise<boolean> {
  if (!url) return false;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
