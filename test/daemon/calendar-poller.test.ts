import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CalendarPoller, type PollSchedule } from '../../src/daemon/calendar-poller.js';
import type { CalendarIngest, CalendarPollSummary } from '../../src/lifecycle/calendar/ingest-calendar.js';
import { FakeClock } from '../../src/support/clock.js';
import { ProviderError } from '../../src/support/errors.js';

const summary = (over: Partial<CalendarPollSummary['counts']> = {}): CalendarPollSummary => ({
  mode: 'delta', resynced: false, requests: 1, saved: false,
  counts: { new: 0, unmatched: 0, changed: 0, unchanged: 0, restored: 0, cancelled: 0, skipped: 0, ...over },
});

function setup(polls: Array<() => Promise<CalendarPollSummary>>) {
  const clock = new FakeClock();
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug', base: undefined }, new Writable({ write(c, _e, cb) { logs.push(JSON.parse(String(c)) as Record<string, unknown>); cb(); } }));
  let calls = 0;
  const ingest: CalendarIngest = { poll: () => polls[Math.min(calls++, polls.length - 1)]!() };
  let tick: (() => Promise<void>) | undefined;
  let stopped = false;
  const schedule: PollSchedule = (seconds, fn) => {
    expect(seconds).toBe(30);
    tick = fn;
    return { stop: () => { stopped = true; } };
  };
  const poller = new CalendarPoller({ ingest, pollSeconds: 30, clock, logger, schedule });
  return { clock, logs, poller, calls: () => calls, tick: () => tick!(), stopped: () => stopped };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('CalendarPoller', () => {
  it('logs one line per poll with the counts', async () => {
    const w = setup([async () => summary({ new: 2, changed: 1, cancelled: 1, unmatched: 1, skipped: 3 })]);
    await w.poller.start();
    await w.tick();
    const lines = w.logs.filter((l) => l.msg === 'calendar poll');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ mode: 'delta', new: 2, changed: 1, cancelled: 1, unmatched: 1, skipped: 3, requests: 1 });
  });

  it('never runs two polls at once, and stop() lets the running one finish', async () => {
    const gate = deferred<CalendarPollSummary>();
    const w = setup([() => gate.promise]);
    await w.poller.start();
    const first = w.poller.pollNow();
    expect(await w.poller.pollNow()).toBeUndefined();
    expect(w.calls()).toBe(1);
    let stopped = false;
    const stopping = w.poller.stop().then(() => { stopped = true; });
    await new Promise((r) => setImmediate(r));
    expect(w.stopped()).toBe(true);
    expect(stopped).toBe(false);
    gate.resolve(summary({ new: 1 }));
    await stopping;
    expect(await first).toMatchObject({ counts: { new: 1 } });
  });

  it("waits out Graph's Retry-After after a throttled poll, then polls again", async () => {
    const w = setup([
      async () => { throw new ProviderError('throttled', { provider: 'graph', retryable: true, status: 429, retryAfterMs: 120_000 }); },
      async () => summary(),
    ]);
    await w.poller.start();
    await w.tick();
    expect(w.logs.find((l) => l.msg === 'calendar poll failed')).toMatchObject({ nextTryInSeconds: 120, level: 40 });
    w.clock.set(w.clock.now() + 60_000);
    await w.tick();
    expect(w.calls()).toBe(1);
    w.clock.set(w.clock.now() + 61_000);
    await w.tick();
    expect(w.calls()).toBe(2);
  });

  it('backs off a settings problem for minutes, logged as an error; --once polls regardless', async () => {
    const w = setup([
      async () => { throw new ProviderError('Microsoft sign-in failed: set microsoft.clientSecret', { provider: 'microsoft', retryable: false }); },
    ]);
    await w.poller.start();
    await w.tick();
    expect(w.logs.find((l) => l.msg === 'calendar poll failed')).toMatchObject({ level: 50, nextTryInSeconds: 300, err: expect.stringContaining('microsoft.clientSecret') });
    w.clock.set(w.clock.now() + 60_000);
    await w.tick();
    expect(w.calls()).toBe(1);
    await w.poller.runOnce();
    expect(w.calls()).toBe(2);
  });

  it('retries a first transient failure on the next tick, then backs off exponentially', async () => {
    const w = setup([async () => { throw new Error('ECONNRESET'); }]);
    await w.poller.start();
    await w.tick();
    await w.tick();
    expect(w.calls()).toBe(2);
    await w.tick();
    expect(w.calls()).toBe(2);
    w.clock.set(w.clock.now() + 60_000);
    await w.tick();
    expect(w.calls()).toBe(3);
  });
});
