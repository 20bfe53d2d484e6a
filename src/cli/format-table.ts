/** An aligned plain-text table (for pipes and --no-tui); cells are flattened to one line. */
export function formatTable(headers: string[], rows: string[][]): string {
  const clean = (cell: string) => (/[\s]/.test(cell) && /\s\s|[\t\n\r]|^\s|\s$/.test(cell) ? cell.replace(/\s+/g, ' ').trim() : cell);
  // Code points, not UTF-16 units, so names with emoji or astral characters still line up.
  const width = (s: string) => (/[\uD800-\uDFFF]/.test(s) ? [...s].length : s.length);
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
