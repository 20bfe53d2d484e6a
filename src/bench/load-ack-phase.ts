import type { BenchFigure } from './bench-result.js';
import type { Children } from './load-children.js';
import { createBenchStore, PUBLIC_URL, startDaemons } from './load-daemon.js';
import type { LoadResult, LoadSpec, ProbeResult } from './load-generator.js';
import type { LoadRig } from './load-rig.js';
import { seedUsers } from './load-seed.js';

export interface AckPhaseOptions {
  connections: number;
  users: number;
  roundMs: number;
  rounds: number;
  body: string;
}

/**
 * Signed inbound webhooks against a real `rolplay start` (SQLite) and against the bare
 * node:http server, driven the same way by the generator process, in alternating rounds
 * (bare, daemon, bare, daemon...) after a short warm-up of each. The daemon's runner answers
 * the messages during its rounds (it is paused during the bare ones) (Gemini and Twilio simulators), as it would in production. A prober
 * process asks the daemon's /health every 20 ms during its rounds.
 */
export async function runAckPhase(children: Children, rig: LoadRig, options: AckPhaseOptions, section: string): Promise<BenchFigure[]> {
  const store = await createBenchStore('sqlite', '');
  try {
    const opened = await store.open();
    const users = await seedUsers(opened, options.users, 0).finally(() => opened.close());
    const daemon = await startDaemons(children, store, rig, 1);
    try {
      const spec = (target: string, durationMs: number): Omit<LoadSpec, 'mode'> => ({
        targets: [target], publicUrl: PUBLIC_URL, authToken: rig.sims.twilio.authToken, accountSid: rig.sims.twilio.accountSid,
        senders: users.map((u) => u.phone), body: options.body, connections: options.connections, durationMs, rate: 0,
        timeoutMs: 2000, maxRequests: Math.min(100_000, 25 * durationMs),
      });
      // The daemon is paused (SIGSTOP) while the bare server is measured: its runner would
      // otherwise spend the bare rounds answering the backlog of the daemon rounds, and on a
      // small machine the yardstick would shrink with the daemon's own backlog.
      const bareRound = async (durationMs: number) => {
        for (const p of daemon.processes) p.child.kill('SIGSTOP');
        try {
          return (await rig.round(spec(rig.bareUrl, durationMs))).load;
        } finally {
          for (const p of daemon.processes) p.child.kill('SIGCONT');
        }
      };
      await bareRound(1000);
      await rig.round(spec(daemon.urls[0]!, 1000));
      const bare: LoadResult[] = [];
      const hooks: LoadResult[] = [];
      const probes: ProbeResult[] = [];
      for (let round = 0; round < Math.max(1, options.rounds); round++) {
        bare.push(await bareRound(options.roundMs));
        const measured = await rig.round(spec(daemon.urls[0]!, options.roundMs), daemon.healthUrls);
        hooks.push(measured.load);
        probes.push(measured.probe!);
      }
      const median = (xs: LoadResult[]) => [...xs].sort((a, b) => a.acksPerSecond - b.acksPerSecond)[Math.floor(xs.length / 2)]!;
      const bareMedian = median(bare).acksPerSecond;
      const hookMedian = median(hooks).acksPerSecond;
      const n = `${options.rounds} rounds of ${Math.round(options.roundMs / 1000)} s`;
      return [
        { section, name: `bare node:http, ${options.connections} conns (median of ${options.rounds})`, value: bareMedian, unit: 'req/s' },
        { section, name: 'bare node:http p99 latency (worst round)', value: Math.max(...bare.map((b) => b.latency.p99)), unit: 'ms' },
        { section, name: `rolplay start acks, ${options.connections} conns (median of ${options.rounds})`, value: hookMedian, unit: 'acks/s' },
        { section, name: 'rolplay acks / bare node:http', value: hookMedian / bareMedian, unit: 'ratio', goal: '>= 0.5' },
        { section, name: 'rolplay p99 ack latency (worst round)', value: Math.max(...hooks.map((h) => h.latency.p99)), unit: 'ms', goal: '<= 50' },
        { section, name: `rolplay failures (none in 2 s, or not 200; ${n})`, value: hooks.reduce((s, h) => s + h.timeouts + h.errors, 0), unit: 'requests', goal: '== 0' },
        { section, name: 'longest /health answer (event-loop stall)', value: Math.max(...probes.map((p) => p.latency.max)), unit: 'ms', goal: '<= 100' },
        { section, name: '/health unanswered within 10 s', value: probes.reduce((s, p) => s + p.timeouts, 0), unit: 'probes' },
      ];
    } finally {
      await daemon.stop();
    }
  } finally {
    await store.dispose();
  }
}
