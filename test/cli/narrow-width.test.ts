import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { narrowWidth, widthFor } from '../../src/cli/narrow-width.js';

describe('narrowWidth', () => {
  const narrow = (text: string) => narrowWidth(text) !== undefined;
  const all = Array.from({ length: 0x2600 }, (_, c) => String.fromCodePoint(c)).filter(narrow);

  it('counts only characters that string-width gives one cell, alone and between others', () => {
    expect(all.length).toBeGreaterThan(300);
    for (const ch of all) {
      expect(stringWidth(ch), `U+${ch.codePointAt(0)!.toString(16)}`).toBe(1);
      expect(stringWidth(`a${ch}${ch}b`), `U+${ch.codePointAt(0)!.toString(16)}`).toBe(4);
    }
  });

  it('never counts two of them as one grapheme cluster', () => {
    const segmenter = new Intl.Segmenter();
    const sample = all.filter((_, i) => i % 3 === 0);
    for (const a of sample) for (const b of sample) expect([...segmenter.segment(a + b)]).toHaveLength(2);
  });

  it('leaves to string-width what may not take one cell per character', () => {
    for (const text of ['王伟明', 'Zoe\u0301', '😀', 'soft\u00ADhyphen', 'tab\there', '\u001b[31mred', 'a\u200db']) expect(narrowWidth(text)).toBeUndefined();
    expect(narrowWidth('↻ 3/12 Renewal for Núñez, Łódź…')).toBe(31);
    expect(narrowWidth('')).toBe(0);
  });
});

describe('widthFor', () => {
  it('measures by length when every cell is narrow, by string-width as soon as one is not', async () => {
    const narrow = await widthFor(['Sara Lopez', '·▆·▇···', '5 (±0)']);
    expect(narrow('王伟明')).toBe(3);
    const wide = await widthFor(['Sara Lopez', '王伟明']);
    expect(wide('王伟明')).toBe(6);
    expect(wide('Zoe\u0301')).toBe(3);
  });
});
