/**
 * Characters that always take exactly one terminal cell and never join a neighbour into one
 * grapheme cluster: printable ASCII, Latin-1 and Latin Extended-A letters and signs (most names
 * in Western European languages), and the CLI's own glyphs (… ↻ and the report's ▁▂▃▄▅▆▇█).
 * Not the soft hyphen (U+00AD), which takes none. string-width agrees on every one of them (a
 * test checks each against it): this only spares loading it, and its Unicode segmentation and
 * emoji tables, for text that cannot need them. As ranges of code points, first and last.
 */
const ONE_CELL: ReadonlyArray<readonly [number, number]> = [[0x20, 0x7e], [0xa0, 0xac], [0xae, 0x17f], [0x2026, 0x2026], [0x21bb, 0x21bb], [0x2581, 0x2588]];

const ONE_CELL_CLASS = ONE_CELL.map(([a, b]) => `\\u${hex(a)}-\\u${hex(b)}`).join('');
const NARROW = new RegExp(`^[${ONE_CELL_CLASS}]*$`);

function hex(codePoint: number): string {
  return codePoint.toString(16).padStart(4, '0');
}

/**
 * The same characters as the body of a GLOB character class (`[^...]` matches any other), for
 * SQL that measures cells as narrowWidth does (store/sqlite-meeting-table.ts).
 */
export const ONE_CELL_GLOB_CLASS = ONE_CELL.map(([a, b]) => `${String.fromCodePoint(a)}-${String.fromCodePoint(b)}`).join('');

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
