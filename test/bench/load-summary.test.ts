import { describe, expect, it } from 'vitest';
import { reminderLateness, scheduledOffsetMs, summarizeLatencies, timePerJob, timeWhenFinished, type AcceptedMessage } from '../../src/bench/load-summary.js';
import { defaultLoadOptions, loadOptionsFrom } from '../../src/bench/load-bench.js';

describe('load bench arithmetic', () => {
  it('summarises latencies: rate over the elapsed time, nearest-rank percentiles, max', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(summarizeLatencies(latencies, 2000)).toEqual({ count: 100, perSecond: 50, p50: 50, p99: 99, max: 100 });
    expect(summarizeLatencies([], 0)).toEqual({ count: 0, perSecond: 0, p50: 0, p99: 0, max: 0 });
  });

  it('interpolates when the n-th job finished between two samples of the job table', () => {
    const samples = [{ at: 1000, finished: 0 }, { at: 1500, finished: 100 }, { at: 2000, finished: 300 }];
    expect(timeWhenFinished(samples, 0)).toBe(1000);
    expect(timeWhenFinished(samples, 50)).toBe(1250);
    expect(timeWhenFinished(samples, 200)).toBe(1750);
    expect(timeWhenFinished(samples, 301)).toBeUndefined();
    // 100 -> 300 took 500 ms: 2.5 ms per job; 0 -> 100: 5 ms per job.
    expect(timePerJob(samples, 100, 300)).toBe(2.5);
    expect(timePerJob(samples, 0, 100)).toBe(5);
    expect(timePerJob(samples, 100, 400)).toBeUndefined();
    expect(timePerJob(samples, 100, 100)).toBeUndefined();
  });

  it('matches reminders to what Twilio accepted by recipient and exact title; a missing one is late until the end of the watch', () => {
    const reminders = [
      { to: '+14155558000', title: 'Reminder check R1', dueAt: 10_000 },
      { to: '+14155558000', title: 'Reminder check R10', dueAt: 20_000 },
      { to: '+14155558001', title: 'Reminder check R2', dueAt: 30_000 },
    ];
    const messages: AcceptedMessage[] = [
      ['+14155558000', 20_400, 'How did Reminder check R10 with your client go? Reply with...'],
      ['+14155558000', 10_250, 'How did Reminder check R1 with Ann Lee go? Reply with...'],
      ['+14155558000', 10_900, 'How did Reminder check R1 with Ann Lee go? (a second copy)'],
      ['+14155558001', 12_000, 'Some reply to a question'],
    ];
    expect(reminderLateness(reminders, messages, 45_000)).toEqual({ lateness: [250, 400, 15_000], missing: 1 });
  });

  it('paces workers so that together they offer the rate, interleaved', () => {
    // 4 workers at 100/s: request k of worker w goes at (4k + w) * 10 ms.
    expect([0, 1, 2, 3].map((w) => scheduledOffsetMs(0, w, 4, 100))).toEqual([0, 10, 20, 30]);
    expect(scheduledOffsetMs(1, 0, 4, 100)).toBe(40);
    expect(scheduledOffsetMs(7, 3, 4, 0)).toBe(0);
  });

  it('reads ROLPLAY_BENCH_DATABASE_URL and --load-<option>=<value> over the defaults, and refuses unknown or bad flags', () => {
    const options = loadOptionsFrom(['load', '--json', '--load-e2eMs=10000', '--load-postgresUrl='], { ROLPLAY_BENCH_DATABASE_URL: 'postgres://elsewhere/db' });
    expect(options.e2eMs).toBe(10_000);
    expect(options.postgresUrl).toBe('');
    expect(options.connections).toBe(defaultLoadOptions.connections);
    expect(loadOptionsFrom([], { ROLPLAY_BENCH_DATABASE_URL: 'postgres://elsewhere/db' }).postgresUrl).toBe('postgres://elsewhere/db');
    expect(loadOptionsFrom([], {}).postgresUrl).toBe(defaultLoadOptions.postgresUrl);
    expect(() => loadOptionsFrom(['--load-nope=1'], {})).toThrow(/unknown load bench option --load-nope/);
    expect(() => loadOptionsFrom(['--load-e2eMs=soon'], {})).toThrow(/expects a number/);
  });
});
