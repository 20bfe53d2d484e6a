/**
 * Characters that always take exactly one terminal cell and never join a neighbour into one
 * grapheme cluster: printable ASCII, Latin-1 and Latin Extended-A letters and signs (most names
 * in Western European languages), and the CLI's own glyphs (… ↻ and the report's ▁▂▃▄▅▆▇█).
 * Not the soft hyphen (U+00AD), which takes none. string-width agrees on every one of them (a
 * test checks each against it): this only spares loading it, and its Unicode segmentation and
 * emoji tables, for text that cannot need them.
 */
const NARROW = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u017F\u2026\u21BB\u2581-\u2588]*$/;

/** The cells `text` takes when each of its characters takes one; undefined when it needs string-width. */
export function narrowWidth(text: string): number | undefined {
  return NARROW.test(text) ? text.length : undefined;
}

/**
 * A measure of terminal cells for these cells: their length when each character takes one cell,
 * else string-width's (loaded then, and only then: see cell-width.ts).
 */
export async function widthFor(cells: Iterable<string>): Promise<(text: string) => number> {
  for (const cell of cells) {
    if (narrowWidth(cell) === undefined) return (await import('./cell-width.js')).cellWidth;
  }
  return (text) => text.length;
}
