/** An aligned plain-text table (for pipes and --no-tui); cells are flattened to one line. */
export function formatTable(headers: string[], rows: string[][]): string {
  const clean = (cell: string) => cell.replace(/\s+/g, ' ').trim();
  const body = rows.map((r) => r.map(clean));
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd();
  return [line(headers), ...body.map(line)].join('\n');
}
