/** One figure printed by `npm run bench`, with its goal when the issue sets one. */
export interface BenchFigure {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** e.g. ">= 0.6", "<= 1000", "== 1" */
  goal?: string;
}

export function meetsGoal(figure: BenchFigure): boolean | undefined {
  if (!figure.goal) return undefined;
  const m = figure.goal.match(/^(>=|<=|==)\s*(-?[\d.]+)$/);
  if (!m) return undefined;
  const target = Number(m[2]);
  if (m[1] === '>=') return figure.value >= target;
  if (m[1] === '<=') return figure.value <= target;
  return figure.value === target;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function formatFigures(figures: BenchFigure[]): string {
  const lines: string[] = [];
  let section = '';
  for (const f of figures) {
    if (f.section !== section) {
      section = f.section;
      lines.push('', section);
    }
    const ok = meetsGoal(f);
    const goal = f.goal ? `  goal ${f.goal}  ${ok ? 'ok' : 'MISSED'}` : '';
    const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(f.value < 10 ? 2 : 1);
    lines.push(`  ${f.name.padEnd(44)} ${value.padStart(10)} ${f.unit}${goal}`);
  }
  return lines.join('\n').trimStart();
}
