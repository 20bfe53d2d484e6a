import { percentile } from './bench-result.js';

/** The pure arithmetic of the load bench, kept apart from its processes so it can be tested. */

export interface LatencySummary {
  count: number;
  /** count per second of `elapsedMs`. */
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarizeLatencies(latencies: number[], elapsedMs: number): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    perSecond: elapsedMs > 0 ? (sorted.length / elapsedMs) * 1000 : 0,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
  };
}

/** One look at the job table during a drain: `finished` jobs at `at` (epoch ms). */
export interface DrainSample {
  at: number;
  finished: number;
}

/**
 * When the `count`-th job finished, interpolated linearly between the two samples around it;
 * undefined when the samples never got there.
 */
export function timeWhenFinished(samples: DrainSample[], count: number): number | undefined {
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (s.finished < count) continue;
    if (i === 0 || s.finished === count) return s.at;
    const prev = samples[i - 1]!;
    return prev.at + ((count - prev.finished) / (s.finished - prev.finished)) * (s.at - prev.at);
  }
  return undefined;
}

/** Milliseconds per job between the `from`-th and the `to`-th finished job; undefined if not reached. */
export function timePerJob(samples: DrainSample[], from: number, to: number): number | undefined {
  const start = timeWhenFinished(samples, from);
  const end = timeWhenFinished(samples, to);
  if (start === undefined || end === undefined || to <= from) return undefined;
  return (end - start) / (to - from);
}

/** A message the Twilio simulator accepted: [to, acceptedAt, body]. */
export type AcceptedMessage = [string, number, string];

export interface DueReminder {
  to: string;
  /** The meeting title, unique: the reminder's text reads "How did <title> with ...". */
  title: string;
  dueAt: number;
}

/**
 * How late each reminder reached Twilio (accepted time minus due time), found by recipient and
 * meeting title. A reminder Twilio never got counts as late until `observedUntil` (a lower
 * bound of its lateness), so missing ones push the percentiles up instead of vanishing.
 */
export function reminderLateness(reminders: DueReminder[], messages: AcceptedMessage[], observedUntil: number): { lateness: number[]; missing: number } {
  const firstAccepted = new Map<string, number>();
  for (const [to, at, body] of messages) {
    const match = /^How did (.+?) with /.exec(body);
    if (!match) continue;
    const key = `${to} ${match[1]}`;
    if (!firstAccepted.has(key)) firstAccepted.set(key, at);
  }
  let missing = 0;
  const lateness = reminders.map((r) => {
    const at = firstAccepted.get(`${r.to} ${r.title}`);
    if (at === undefined) missing++;
    return (at ?? Math.max(observedUntil, r.dueAt)) - r.dueAt;
  });
  return { lateness, missing };
}

/**
 * Open-loop pacing for the generator: when worker `worker` of `workers` may send its `k`-th
 * request so that all of them together offer `rate` requests per second (0 = no pacing).
 */
export function scheduledOffsetMs(k: number, worker: number, workers: number, rate: number): number {
  if (rate <= 0) return 0;
  return ((k * workers + worker) / rate) * 1000;
}
