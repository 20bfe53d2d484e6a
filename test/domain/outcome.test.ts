import { describe, expect, it } from 'vitest';
import { isBareDone, parseModelOutcome, rawOutcome, readOutcome, startsWithDone, withoutDonePrefix } from '../../src/domain/outcome.js';

describe('outcome', () => {
  it('recognises a bare Done in its usual forms, and only those', () => {
    for (const t of ['Done', 'done.', ' DONE! ', 'Done ✅', 'ok', 'Hecho', 'listo', '👍', '✅']) expect(isBareDone(t), t).toBe(true);
    for (const t of ['Done - they want a pilot in March', 'not done', 'done deal, signing Friday', 'Doneness', '']) expect(isBareDone(t), t).toBe(false);
  });

  it('strips a leading Done from a detailed reply', () => {
    expect(withoutDonePrefix('Done - they want a pilot in March')).toBe('they want a pilot in March');
    expect(withoutDonePrefix('Done: pilot approved')).toBe('pilot approved');
    expect(withoutDonePrefix('They liked it')).toBe('They liked it');
    expect(startsWithDone('Done - x')).toBe(true);
    expect(startsWithDone('Great call')).toBe(false);
  });

  it('accepts a model answer that fits and repairs the optional parts; refuses one without a result', () => {
    const ok = parseModelOutcome({ result: 'They want a pilot', nextSteps: [{ action: 'Pilot', due: '2026-03-01' }, { action: 'Bad date', due: '2026-02-30' }, { action: 'No date', due: 'soon' }], sentiment: 'delighted' }, 'Done - pilot');
    expect(ok).toEqual({ result: 'They want a pilot', nextSteps: [{ action: 'Pilot', due: '2026-03-01' }, { action: 'No date', due: null }], sentiment: 'unknown', source: 'model', reply: 'Done - pilot' });
    expect(parseModelOutcome({ nextSteps: [] }, 'x')).toBeUndefined();
    expect(parseModelOutcome('not json', 'x')).toBeUndefined();
  });

  it('reads a stored outcome, falling back to the raw reply', () => {
    const stored = JSON.stringify({ ...rawOutcome('Done - pilot in March'), source: 'raw' });
    expect(readOutcome(stored, null)).toMatchObject({ result: 'pilot in March', source: 'raw' });
    expect(readOutcome('{broken', 'Done')).toMatchObject({ source: 'done' });
    expect(readOutcome(null, 'It went well')).toMatchObject({ result: 'It went well', source: 'raw' });
    expect(readOutcome(null, null)).toBeUndefined();
  });
});
