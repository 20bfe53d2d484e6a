import type { FakeClock } from '../../src/support/clock.js';
import type { Store } from '../../src/store/open-store.js';

/**
 * Moves a FakeClock forward by `ms`, stepping from one due job to the next and letting the real
 * job runner finish its (real) I/O at each step: database, simulators. So jobs run at their exact
 * fake due time on PostgreSQL as on SQLite. Each step goes to the earliest of: the next due job,
 * the next fake timer (the runner's idle wake-up, a lease renewal), the target.
 */
export async function advanceJobs(clock: FakeClock, store: Store, ms = 0): Promise<void> {
  const dueNow = async () => {
    const active = await store.jobs.list({ status: ['pending', 'running'] });
    return active.some((j) => j.status === 'running' || Number(j.run_at) <= clock.now());
  };
  const settle = async () => {
    let quiet = 0;
    for (let i = 0; i < 500 && quiet < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, i < 20 ? 0 : 2));
      await clock.advance(0);
      // Quiet: nothing due or running, and the runner has armed its timer for the next job.
      quiet = !(await dueNow()) && clock.pendingTimers() > 0 ? quiet + 1 : 0;
    }
  };
  const target = clock.now() + ms;
  await settle();
  for (let round = 0; ; round++) {
    if (round > 10_000) throw new Error(`advanceJobs: jobs still due at ${new Date(clock.now()).toISOString()}: ${JSON.stringify(await store.jobs.list({ status: ['pending', 'running'] }))}`);
    const next = Math.min(target, (await store.jobs.nextWakeAt()) ?? target, clock.nextTimerAt() ?? target);
    const step = Math.max(0, next - clock.now());
    await clock.advance(step);
    await settle();
    if (clock.now() >= target && !(await dueNow())) break;
  }
}
