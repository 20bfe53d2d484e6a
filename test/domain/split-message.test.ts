import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../src/domain/split-message.js';

const para = (n: number, len: number) => `P${n} ` + 'word '.repeat(Math.floor((len - 4) / 5)).trim();

describe('splitMessage', () => {
  it('returns short text as one part and empty text as none', () => {
    expect(splitMessage('Hello')).toEqual(['Hello']);
    expect(splitMessage('  \n \n ')).toEqual([]);
    expect(splitMessage('x'.repeat(1600))).toHaveLength(1);
  });

  it('splits on paragraph boundaries under the limit, in order', () => {
    const text = [para(1, 700), para(2, 700), para(3, 700)].join('\n\n');
    const parts = splitMessage(text);
    expect(parts).toEqual([`${para(1, 700)}\n\n${para(2, 700)}`, para(3, 700)]);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(1600);
  });

  it('falls back to lines, then sentences, then words, never cutting a word', () => {
    const lines = ['- first item is here', '- second item is here', '- third item is here'].join('\n');
    expect(splitMessage(lines, 45)).toEqual(['- first item is here\n- second item is here', '- third item is here']);
    expect(splitMessage('One sentence here. Another one there. A third.', 25)).toEqual(['One sentence here.', 'Another one there.', 'A third.']);
    const words = 'alpha beta gamma delta epsilon zeta eta theta';
    const parts = splitMessage(words, 12);
    expect(parts.join(' ')).toBe(words);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(12);
      for (const w of p.split(' ')) expect(words.split(' ')).toContain(w);
    }
  });

  it('cuts a single word longer than the limit, and only that word', () => {
    const url = 'https://example.com/' + 'a'.repeat(50);
    const parts = splitMessage(`see ${url} now`, 20);
    expect(parts[0]).toBe('see');
    expect(parts.at(-1)).toBe('now');
    expect(parts.slice(1, -1).join('')).toBe(url);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(20);
  });

  it('never splits an emoji, surrogate pair or ZWJ sequence', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = ('😀' + family + 'é').repeat(20);
    const parts = splitMessage(text, 15);
    expect(parts.join('')).toBe(text);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(15);
      expect(p).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
      expect(p.startsWith('\u200D')).toBe(false);
    }
  });

  it('reads CRLF as line breaks', () => {
    const parts = splitMessage('first paragraph\r\n\r\nsecond paragraph', 20);
    expect(parts).toEqual(['first paragraph', 'second paragraph']);
    expect(splitMessage('a\r\nb')).toEqual(['a\nb']);
  });

  it('numbers the parts within the limit when asked', () => {
    const text = [para(1, 900), para(2, 900), para(3, 900)].join('\n\n');
    const parts = splitMessage(text, 1600, { numbered: true });
    expect(parts.map((p) => p.slice(0, 6))).toEqual(['(1/3) ', '(2/3) ', '(3/3) ']);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(1600);
    expect(splitMessage('short', 1600, { numbered: true })).toEqual(['short']);
  });

  it('numbers correctly when the count reaches two digits', () => {
    const text = Array.from({ length: 30 }, (_, i) => `line number ${i}`).join('\n');
    const parts = splitMessage(text, 30, { numbered: true });
    expect(parts.length).toBeGreaterThanOrEqual(10);
    parts.forEach((p, i) => {
      expect(p.startsWith(`(${i + 1}/${parts.length}) `)).toBe(true);
      expect(p.length).toBeLessThanOrEqual(30);
    });
  });

  it('rejects a nonsensical limit', () => {
    expect(() => splitMessage('x', 0)).toThrow(RangeError);
  });
});
