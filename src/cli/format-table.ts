import { narrowWidth } from './narrow-width.js';

/** Whitespace runs, line breaks and tabs become one space; leading and trailing space goes. */
function flatten(cell: string): string {
  return /[\s]/.test(cell) && /\s\s|[\t\n\r]|^\s|\s$/.test(cell) ? cell.replace(/\s+/g, ' ').trim() : cell;
}

/**
 * An aligned plain-text table (for pipes and --no-tui); cells are flattened to one line and
 * measured in terminal cells: a 王伟明 or an emoji takes two, a combining mark none. Each cell
 * is measured once; string-width (and its Unicode tables, tens of milliseconds to load) is
 * loaded only when some cell holds a character that may not take exactly one cell.
 */
export async function formatTable(headers: string[], rows: string[][]): Promise<string> {
  const columns = headers.length;
  const cells: string[] = [...headers];
  for (const row of rows) for (let i = 0; i < columns; i++) cells.push(flatten(row[i] ?? ''));
  const widths: Array<number | undefined> = cells.map(narrowWidth);
  if (widths.includes(undefined)) {
    const { cellWidth } = await import('./cell-width.js');
    for (let k = 0; k < cells.length; k++) widths[k] ??= cellWidth(cells[k]!);
  }
  const columnWidths = headers.map(() => 0);
  for (let k = 0; k < cells.length; k++) columnWidths[k % columns] = Math.max(columnWidths[k % columns]!, widths[k]!);
  const lines: string[] = [];
  for (let start = 0; start < cells.length; start += columns) {
    let line = cells[start]!;
    for (let i = 1; i < columns; i++) line += ' '.repeat(columnWidths[i - 1]! - widths[start + i - 1]! + 2) + cells[start + i]!;
    lines.push(line.trimEnd());
  }
  return lines.join('\n');
}
