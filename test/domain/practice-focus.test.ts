import { describe, expect, it } from 'vitest';
import { compareWithRecent, focusIntro, formatMark, weakestPart } from '../../src/domain/practice-focus.js';

const marks = (score: number, discovery: number, objectionHandling: number, nextStep: number) => ({ score, discovery, objectionHandling, nextStep });

describe('the next practice follows from the last ones', () => {
  it('picks the lowest average rubric part over the last five practices', () => {
    const recent = [marks(6, 7, 4, 6), marks(6, 6, 5, 7), marks(7, 8, 6, 7)];
    expect(weakestPart(recent)).toEqual({ part: 'objectionHandling', average: 5, practices: 3 });
    // Older than the last five: not counted (discovery 1 there would otherwise win).
    const six = [...Array.from({ length: 5 }, () => marks(6, 6, 6, 3)), marks(2, 1, 6, 6)];
    expect(weakestPart(six)).toMatchObject({ part: 'nextStep', average: 3, practices: 5 });
  });

  it('has no focus before the first practice or when all parts average the same; a tie goes to the earlier part', () => {
    expect(weakestPart([])).toBeUndefined();
    expect(weakestPart([marks(5, 5, 5, 5), marks(7, 7, 7, 7)])).toBeUndefined();
    expect(weakestPart([marks(5, 8, 4, 4)])).toMatchObject({ part: 'objectionHandling' });
  });

  it('compares a score with the average of the last three practices', () => {
    expect(compareWithRecent(7, [marks(6, 0, 0, 0), marks(7, 0, 0, 0), marks(6, 0, 0, 0), marks(1, 0, 0, 0)])).toBe('Up from a 6.3 average over your last 3 practices.');
    expect(compareWithRecent(5, [marks(6, 0, 0, 0), marks(8, 0, 0, 0)])).toBe('Down from a 7 average over your last 2 practices.');
    expect(compareWithRecent(6, [marks(6, 0, 0, 0)])).toBe('Level with 6 in your last practice.');
    expect(compareWithRecent(6, [])).toBeUndefined();
  });

  it('says what the practice trains in its opening', () => {
    expect(focusIntro({ part: 'nextStep', average: 4.33, practices: 3 })).toBe('This client tests your next step, your weakest part lately (4.3/10 over your last 3 practices).');
    expect(formatMark(7)).toBe('7');
    expect(formatMark(6.25)).toBe('6.3');
  });
});
