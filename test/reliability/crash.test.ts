import { afterEach, describe, expect, it } from 'vitest';
import { seeded } from '../../src/sandbox/http-sim.js';
import type { DaemonProcess } from '../helpers/daemon-process.js';
import { createLifecycleWorld, type LifecycleWorld } from '../helpers/lifecycle-world.js';

const SEED = Number(process.env.ROLPLAY_CRASH_SEED ?? 20261129);
const MEETINGS = 100;

let world: LifecycleWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/**
 * Issue 7's crash test: one `rolplay start` on a SQLite file, SIGKILLed at seeded random
 * moments and restarted, while 100 meetings go through their whole lifecycle. At the end every
 * meeting is completed and the simulators saw exactly one plan, one reminder and one HubSpot
 * note each. ROLPLAY_CRASH_SEED=N replays another kill schedule.
 */
describe('crash test', () => {
  it(`SIGKILL at random moments (seed ${SEED}) over ${MEETINGS} lifecycles: each completes with exactly one plan, reminder and note`, async () => {
    // Every provider answers 20-150 ms after acting, so a kill often lands between the two.
    // Meetings last 60 s: a plan job killed several times in a row waits out a 5 s lease each
    // time, and must still go out before its meeting ends (else it is skipped, as it should be).
    // On a loaded machine a restarted daemon takes seconds to start, and with 40 s meetings over
    // half the plans were still waiting when their meetings ended. Plans get 16 workers: each kill
    // strands the running ones for a lease, and with the default 4 fewer get through.
    world = await createLifecycleWorld({
      meetings: MEETINGS, firstStartInMs: 6000, spacingMs: 100, durationMs: 60_000, latencyMs: [20, 150],
      config: { gemini: { concurrency: 16 }, jobs: { concurrency: { plans: 16 } } },
    });
    const random = seeded(SEED);
    let up = false;
    world.startResponder(() => (up ? [0] : []));
    const kills: number[] = [];
    const lines: string[] = [];
    const deadline = Date.now() + 120_000;
    // Kill while there is work to interrupt; then let the last daemon finish the job.
    let daemon: DaemonProcess | undefined;
    while ((await world.statuses()).completed !== MEETINGS && Date.now() < deadline) {
      daemon = world.spawn(0);
      await daemon.waitFor((e) => e.msg === 'rolplay started', 20_000);
      up = true;
      const lifetime = 300 + Math.floor(random() * 2700);
      const exit = await Promise.race([daemon.exited, new Promise<undefined>((r) => setTimeout(r, lifetime))]);
      if (exit !== undefined) throw new Error(`the daemon exited by itself (${exit}):\n${daemon.lines.slice(-10).join('\n')}`);
      if (kills.length >= 25) break;
      up = false;
      daemon.kill('SIGKILL');
      await daemon.exited;
      kills.push(lifetime);
      lines.push(...daemon.lines);
      daemon = undefined;
    }
    if (!daemon) {
      daemon = world.spawn(0);
      await daemon.waitFor((e) => e.msg === 'rolplay started', 20_000);
      up = true;
    }
    // At least long enough for a send cut off by the last kill to wait out its check at Twilio (60 s),
    // with room for a loaded machine (the rest of the suite runs beside it).
    await world.waitForAllCompleted(Math.max(100_000, deadline - Date.now()));
    lines.push(...daemon.lines);
    const count = (msg: string) => lines.filter((l) => l.includes(msg)).length;
    console.log(`crash test seed ${SEED}: ${kills.length} kills; after restarts ${count('an earlier attempt had already sent this part')} sends found in Twilio's log and ${count('found the note an earlier, unanswered attempt created')} notes found in HubSpot instead of sent again`);
    expect(kills.length).toBeGreaterThanOrEqual(10);
    const problems = await world.problems();
    if (problems.length > 0) console.log(`crash test logs: ${world.saveLogs('crash', lines)}`);
    expect(problems).toEqual([]);
  }, 360_000);
});
