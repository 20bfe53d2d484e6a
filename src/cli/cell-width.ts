import stringWidth from 'string-width';
import { narrowWidth } from './narrow-width.js';

const graphemes = new Intl.Segmenter();

/**
 * How many terminal cells the text takes: CJK and most emoji take two, combining marks none
 * (string-width, the measure ink itself uses), so tables and the terminal UI line up. Most
 * names, titles and times take one cell per character: those are counted without segmenting.
 */
export function cellWidth(text: string): number {
  return narrowWidth(text) ?? stringWidth(text);
}

/**
 * Exactly `width` cells: padded with spaces, or cut to end in "…" without splitting a character
 * (a wide one that would straddle the edge is left out and the gap padded).
 */
export function fitCells(text: string, width: number): string {
  if (width <= 0) return '';
  const total = cellWidth(text);
  if (total <= width) return text + ' '.repeat(width - total);
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = cellWidth(segment);
    if (used + w > width - 1) break;
    kept += segment;
    used += w;
  }
  return `${kept}…${' '.repeat(width - 1 - used)}`;
}
