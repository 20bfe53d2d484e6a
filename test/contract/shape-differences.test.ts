import { describe, expect, it } from 'vitest';
import { shapeDifferences } from '../helpers/provider-fixtures.js';

describe('shapeDifferences', () => {
  it('agrees on equal shapes with other values', () => {
    expect(shapeDifferences({ id: 'b', n: 2, tags: ['x', 'y'], at: null }, { id: 'a', n: 1, tags: ['z'], at: null })).toEqual([]);
  });

  it('names a missing key, an extra key and a type that differs', () => {
    expect(shapeDifferences({ id: 1, extra: true }, { id: 'a', subject: 'S' }).sort()).toEqual([
      'extra: the simulator adds it, the provider does not send it',
      'id: number where the fixture has string',
      'subject: missing from the simulator\'s answer',
    ]);
  });

  it('checks every array item against the fixture\'s first item', () => {
    expect(shapeDifferences({ value: [{ id: 'a' }, { id: 'b', subject: 'x' }] }, { value: [{ id: 'z' }] }))
      .toEqual(['value[].subject: the simulator adds it, the provider does not send it']);
  });

  it('lets loose paths differ in type and optional paths be absent', () => {
    const options = { loose: ['*.dateTime'], optional: ['value[].bodyPreview'] };
    expect(shapeDifferences({ value: [{ start: { dateTime: null } }] }, { value: [{ start: { dateTime: '2026-01-01' }, bodyPreview: '' }] }, options)).toEqual([]);
  });
});
