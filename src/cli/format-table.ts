import { cellWidth } from './cell-width.js';

/** An aligned plain-text table (for pipes and --no-tui); cells are flattened to one line. */
export function formatTable(headers: string[], rows: string[][]): string {
  const clean = (cell: string) => (/[\s]/.test(cell) && /\s\s|[\t\n\r]|^\s|\s$/.test(cell) ? cell.replace(/\s+/g, ' ').trim() : cell);
  // Terminal cells, not characters: a 王伟明 or an emoji takes two cells, a combining mark none.
  const width = cellWidth;
  const body = rows.map((r) => r.map(clean));
  const widths = headers.map((h) => width(h));
  for (const r of body) {
    for (let i = 0; i < r.length; i++) {
      const w = width(r[i]!);
      if (w > (widths[i] ?? 0)) widths[i] = w;
    }
  }
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i]! - width(c))))).join('  ').trimEnd();
  return [line(headers), ...body.map(line)].join('\n');
}
