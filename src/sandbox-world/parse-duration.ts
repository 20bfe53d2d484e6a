import { UsageError } from '../support/errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "5m", "1.5h", "2d" (or "0") in milliseconds; anything else is one line naming the option. */
export function parseDuration(text: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)?\s*$/i.exec(text);
  if (!m || (m[2] === undefined && Number(m[1]) !== 0)) throw new UsageError(`${option}: "${text}" is not a duration: expected e.g. 90s, 5m, 1h or 2d`);
  return Math.round(Number(m[1]) * UNIT_MS[(m[2] ?? 's')[0]!.toLowerCase()]!);
}
