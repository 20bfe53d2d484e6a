import { describe, expect, it } from 'vitest';
import { joinedInPieces } from '../../src/support/text-pieces.js';

describe('joinedInPieces', () => {
  it('joins like Array.join, in pieces of at least 64 KiB but the last, separators kept across pieces', () => {
    const parts = Array.from({ length: 5000 }, (_, i) => `part ${i} ${'x'.repeat(i % 50)}`);
    const pieces = [...joinedInPieces(parts, { separator: ',', open: '[', close: ']' })];
    expect(pieces.join('')).toBe(`[${parts.join(',')}]`);
    expect(pieces[0]!.startsWith('[part 0 ,part 1 x,')).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('yields nothing for nothing, the brackets alone for no parts, and one piece for a short list', () => {
    expect([...joinedInPieces([])]).toEqual([]);
    expect([...joinedInPieces([], { open: '[', close: ']' })]).toEqual(['[]']);
    expect([...joinedInPieces(['a', '', 'b'], { separator: ',' })]).toEqual(['a,,b']);
  });
});
