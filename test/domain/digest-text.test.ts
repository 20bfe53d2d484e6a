import { describe, expect, it } from 'vitest';
import { isoWeek, partToWorkOn } from '../../src/domain/digest-text.js';

describe('isoWeek', () => {
  it.each([
    ['2026-11-30T08:00:00Z', 'UTC', '2026-W49'],
    ['2026-12-31T12:00:00Z', 'UTC', '2026-W53'],
    ['2027-01-01T12:00:00Z', 'UTC', '2026-W53'],
    ['2024-12-30T12:00:00Z', 'UTC', '2025-W01'],
    // Sunday 23:30 UTC is already Monday in Madrid: the next week there.
    ['2026-11-29T23:30:00Z', 'UTC', '2026-W48'],
    ['2026-11-29T23:30:00Z', 'Europe/Madrid', '2026-W49'],
  ])('%s in %s is %s', (at, zone, week) => {
    expect(isoWeek(Date.parse(at), zone)).toBe(week);
  });
});

describe('partToWorkOn', () => {
  it('is the lowest average, the earlier part on a tie, none when level or without role-plays', () => {
    expect(partToWorkOn({ discovery: 7, objectionHandling: 5, nextStep: 6 })).toEqual({ part: 'objectionHandling', average: 5 });
    expect(partToWorkOn({ discovery: 6, objectionHandling: 8, nextStep: 6 })).toEqual({ part: 'discovery', average: 6 });
    expect(partToWorkOn({ discovery: 6, objectionHandling: 6, nextStep: 6 })).toBeUndefined();
    expect(partToWorkOn({ discovery: null, objectionHandling: null, nextStep: null })).toBeUndefined();
  });
});
