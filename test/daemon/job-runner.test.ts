import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FakeClock } from '../../src/support/clock.js';
import { ProviderError, TransientError } from '../../src/support/errors.js';
import { silentLogger } from '../../src/support/logger.js';
import { JobRunner } from '../../src/daemon/job-runner.js';
import type { JobHandler } from '../../src/lifecycle/jobs/job-contract.js';
import { testJobs } from '../helpers/test-jobs.js';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 5, 10, 30, 0);
let t: TestStore;
afterEach(async () => t?.dispose());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function runner(handlers: Record<string, JobHandler<any> | undefined>, clock: FakeClock, extra: Partial<ConstructorParameters<typeof JobRunner>[0]> = {}) {
  return new JobRunner({ store: t.store, clock, logger: silentLogger(), jobs: testJobs(handlers), leaseMs: 60_000, backoff: { random: () => 0.5 }, ...extra });
}

/** A job row in the lane the test kinds use. */
function enqueue(input: { kind: string; runAt: number; dedupeKey: string; maxAttempts: number; payload?: unknown; lane?: string }) {
  return t.store.jobs.enqueue({ lane: 'timely', ...input }, T0);
}

async function settle(clock: FakeClock, r: JobRunner, ms = 0) {
  await clock.advance(ms);
  // let the runner's async claim/complete chain finish
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  void r;
}

describe('JobRunner', () => {
  it('runs a job at its due time to the second, not before', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    const ran: number[] = [];
    const r = runner({ remind: async () => { ran.push(clock.now()); } }, clock);
    await enqueue({ kind: 'remind', runAt: T0 + 60_000, dedupeKey: 'a', maxAttempts: 3 });
    r.start();
    await settle(clock, r);
    await settle(clock, r, 59_000);
    expect(ran).toEqual([]);
    await settle(clock, r, 1000);
    expect(ran).toEqual([T0 + 60_000]);
    expect((await t.store.jobs.byDedupeKey('a'))!.status).toBe('done');
    await r.stop();
  });

  it('lets a job wait (a deferral) without using up its attempts, then run to the end', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    const runs: number[] = [];
    const r = runner({
      k: async ({ job }) => {
        runs.push(job.attempts);
        if (runs.length <= 3) throw new TransientError('not in Twilio\'s list yet', { retryAfterMs: 10_000, deferral: true });
      },
    }, clock);
    await enqueue({ kind: 'k', runAt: T0, dedupeKey: 'wait', maxAttempts: 2 });
    r.start();
    await settle(clock, r);
    for (let i = 0; i < 3; i++) await settle(clock, r, 10_000);
    expect(runs).toEqual([1, 1, 1, 1]);
    expect(await t.store.jobs.byDedupeKey('wait')).toMatchObject({ status: 'done', attempts: 1 });
    await r.stop();
  });

  it('wakes for a job enqueued while idle', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    const ran: string[] = [];
    const r = runner({ k: async ({ job }) => { ran.push(job.dedupe_key); } }, clock, { maxIdleMs: 3_600_000 });
    r.start();
    await settle(clock, r);
    await enqueue({ kind: 'k', runAt: T0 + 5000, dedupeKey: 'late', maxAttempts: 3 });
    r.wake();
    await settle(clock, r, 5000);
    expect(ran).toEqual(['late']);
    await r.stop();
  });

  it('retries retryable errors with backoff honouring Retry-After, then fails and alerts once', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    const attempts: number[] = [];
    const failed: number[] = [];
    const r = runner({
      k: async ({ attempt }) => {
        attempts.push(clock.now() - T0);
        throw new ProviderError(`busy ${attempt}`, { provider: 'twilio', retryable: true, status: 429, retryAfterMs: attempt === 1 ? 30_000 : undefined });
      },
    }, clock, { backoff: { random: () => 0.5, baseMs: 1000 }, onFailed: async (job) => { failed.push(job.id); } });
    await enqueue({ kind: 'k', runAt: T0, dedupeKey: 'x', maxAttempts: 3 });
    r.start();
    await settle(clock, r);
    await settle(clock, r, 30_000); // Retry-After 30 s wins over the 1 s backoff
    await settle(clock, r, 2000); // 2nd backoff: 1000 * 2^1 * (0.5 + 0.5)
    expect(attempts).toEqual([0, 30_000, 32_000]);
    const job = (await t.store.jobs.byDedupeKey('x'))!;
    expect(job.status).toBe('failed');
    expect(job.last_error).toBe('busy 3');
    expect(failed).toEqual([job.id]);
    await r.stop();
  });

  it('does not retry permanent errors', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    let calls = 0;
    const r = runner({ k: async () => { calls++; throw new ProviderError('outside the 24 h window', { provider: 'twilio', retryable: false, providerCode: 63016 }); } }, clock);
    await enqueue({ kind: 'k', runAt: T0, dedupeKey: 'p', maxAttempts: 5 });
    expect(await r.runDue()).toBe(1);
    expect(calls).toBe(1);
    expect((await t.store.jobs.byDedupeKey('p'))!.status).toBe('failed');
  });

  it('leaves kinds it has no handler for (service not configured, or another version\'s lane) pending', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    const r = runner({ mine: async () => 'ok', unconfigured: undefined }, clock, { jobs: testJobs({ mine: async () => 'ok', unconfigured: undefined }, { unconfigured: 'crm' }) });
    await enqueue({ kind: 'theirs', runAt: T0, dedupeKey: 't', maxAttempts: 3, lane: 'voice' });
    await enqueue({ kind: 'unconfigured', runAt: T0, dedupeKey: 'u', maxAttempts: 3, lane: 'crm' });
    await enqueue({ kind: 'mine', runAt: T0, dedupeKey: 'm', maxAttempts: 3 });
    expect(await r.runDue()).toBe(1);
    expect(r.waitingKinds).toEqual(['unconfigured']);
    expect((await t.store.jobs.byDedupeKey('t'))!.status).toBe('pending');
    expect((await t.store.jobs.byDedupeKey('u'))).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('fails a row whose payload does not match its kind at once, says why, alerts, and runs the rest', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    const failed: string[] = [];
    const ran: string[] = [];
    const strict = { kind: { ...testJobs({ strict: undefined })[0]!.kind, payload: z.object({ meetingId: z.number() }) }, handle: async ({ job }: { job: { dedupe_key: string } }) => { ran.push(job.dedupe_key); } };
    const r = new JobRunner({ store: t.store, clock, logger: silentLogger(), jobs: [strict as never], leaseMs: 60_000, onFailed: async (job) => { failed.push(job.dedupe_key); } });
    await enqueue({ kind: 'strict', runAt: T0, dedupeKey: 'bad', maxAttempts: 5, payload: { meetingId: 'seven' } });
    await t.store.db.updateTable('jobs').set({ payload: '{not json' }).where('dedupe_key', '=', 'bad').execute();
    await enqueue({ kind: 'strict', runAt: T0, dedupeKey: 'old', maxAttempts: 5, payload: { meetingId: 'seven' } });
    await enqueue({ kind: 'strict', runAt: T0, dedupeKey: 'good', maxAttempts: 5, payload: { meetingId: 7 } });
    await enqueue({ kind: 'retired_kind', runAt: T0, dedupeKey: 'gone', maxAttempts: 5, lane: 'default' });
    await r.runDue();
    expect(ran).toEqual(['good']);
    expect(await t.store.jobs.byDedupeKey('bad')).toMatchObject({ status: 'failed', attempts: 1, last_error: 'invalid strict job payload: not JSON' });
    expect((await t.store.jobs.byDedupeKey('old'))!.last_error).toMatch(/^invalid strict job payload: meetingId: .*number/);
    expect(await t.store.jobs.byDedupeKey('gone')).toMatchObject({ status: 'failed', last_error: 'invalid retired_kind job payload: no job kind "retired_kind" is known to this version of rolplay' });
    expect(failed.sort()).toEqual(['bad', 'gone', 'old']);
  });

  it('picks up a job whose worker died mid-lease, after the lease expires, with its progress', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    await enqueue({ kind: 'k', runAt: T0, dedupeKey: 'crash', maxAttempts: 3 });
    // A first process claims the job, records progress, then dies (never completes).
    const [claimed] = await t.store.jobs.claimDue({ owner: 'dead-process', now: T0, leaseMs: 60_000, limit: 1, lane: 'timely' });
    await t.store.jobs.saveResult(claimed!.id, 'dead-process', { step: 1 }, T0);
    const seen: unknown[] = [];
    const r = runner({ k: async ({ progress, attempt }) => { seen.push({ progress, attempt }); return 'finished'; } }, clock);
    r.start();
    await settle(clock, r, 30_000);
    expect(seen).toEqual([]);
    await settle(clock, r, 30_001);
    expect(seen).toEqual([{ progress: { step: 1 }, attempt: 2 }]);
    const job = (await t.store.jobs.byId(claimed!.id))!;
    expect(job.status).toBe('done');
    expect(JSON.parse(job.result!)).toBe('finished');
    await r.stop();
  });

  it('stop() waits for in-flight work', async () => {
    t = await freshStore();
    const clock = new FakeClock(T0);
    let release!: () => void;
    let finished = false;
    const r = runner({ k: () => new Promise<void>((resolve) => { release = () => { finished = true; resolve(); }; }) }, clock);
    await enqueue({ kind: 'k', runAt: T0, dedupeKey: 's', maxAttempts: 3 });
    r.start();
    await settle(clock, r);
    const stopped = r.stop();
    setTimeout(() => release(), 20);
    await stopped;
    expect(finished).toBe(true);
    expect((await t.store.jobs.byDedupeKey('s'))!.status).toBe('done');
  });
});

describe.each(backends)('JobRunner and queue keys across lanes (%s)', (backend) => {
  it('runs a job promoted in another lane as soon as the job ahead of it finishes, not at the next lease check', async () => {
    t = await freshStore(backend);
    const clock = new FakeClock(T0);
    const ran: Array<[string, number]> = [];
    const r = new JobRunner({
      store: t.store, clock, logger: silentLogger(), leaseMs: 60_000, backoff: { random: () => 0.5 },
      jobs: testJobs({
        // The inbound message: its reply is queued behind it, under the same key, in another lane.
        inbound: async () => {
          ran.push(['inbound', clock.now()]);
          await t.store.jobs.enqueue({ kind: 'reply', lane: 'whatsapp', runAt: clock.now(), dedupeKey: 'reply', maxAttempts: 3, queueKey: 'conv:1' }, clock.now());
          r.wake(['whatsapp'], { keyed: true });
          // The runner looks at the reply's lane now, while the reply still waits for this job.
          await new Promise((resolve) => setTimeout(resolve, 50));
        },
        reply: async () => { ran.push(['reply', clock.now()]); },
      }, { inbound: 'conversation', reply: 'whatsapp' }),
    });
    await t.store.jobs.enqueue({ kind: 'inbound', lane: 'conversation', runAt: T0, dedupeKey: 'in', maxAttempts: 3, queueKey: 'conv:1' }, T0);
    r.start();
    // Real time passes for the store's I/O; the fake clock stands still, so a lease check (due a
    // second later on the fake clock) never comes.
    for (let i = 0; i < 200 && ran.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    // No time passed: the reply ran on the inbound job's finish, in the same instant.
    expect(ran).toEqual([['inbound', T0], ['reply', T0]]);
    await r.stop();
  });
});
