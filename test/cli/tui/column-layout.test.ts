import { describe, expect, it } from 'vitest';
import { columnLayout, type ColumnDemands } from '../../../src/cli/tui/column-layout.js';

/** Long names and clients, as in a busy team's list. */
const DEMANDS: ColumnDemands = { id: 3, person: 34, clients: 40, title: 60, status: 13, score: 5 };
const keysAt = (width: number) => columnLayout(width, DEMANDS).columns.map((c) => c.key);

describe('column layout with the score column', () => {
  it('puts SCORE last, after the P R N markers, when there is room', () => {
    expect(keysAt(160)).toEqual(['id', 'start', 'person', 'clients', 'title', 'status', 'markers', 'score']);
    expect(columnLayout(160, DEMANDS).columns.at(-1)).toEqual({ key: 'score', width: 5 });
  });

  it('narrowing the terminal drops the markers, then the score, then the clients, never the id or the status; no row is wider than the terminal', () => {
    let scoreGone = false;
    let markersGone = false;
    for (let width = 160; width >= 50; width--) {
      const layout = columnLayout(width, DEMANDS);
      const keys = layout.columns.map((c) => c.key);
      expect(keys, `${width}`).toEqual(expect.arrayContaining(['id', 'start', 'person', 'title', 'status']));
      // Cursor (2) + the columns + one space between each.
      expect(2 + layout.columns.reduce((sum, c) => sum + c.width, 0) + layout.columns.length - 1, `${width}`).toBeLessThanOrEqual(width);
      if (!keys.includes('markers')) markersGone = true;
      else expect(markersGone, `markers back at ${width}`).toBe(false);
      if (!keys.includes('score')) {
        expect(markersGone, `score dropped before the markers at ${width}`).toBe(true);
        scoreGone = true;
      } else {
        expect(scoreGone, `score back at ${width}`).toBe(false);
      }
      if (!keys.includes('clients')) expect(scoreGone, `clients dropped before the score at ${width}`).toBe(true);
    }
    expect(keysAt(50)).toEqual(['id', 'start', 'person', 'title', 'status']);
  });

  it('leaves the column out when no listed meeting has a score, and gives its cells to the names and the title', () => {
    const none = columnLayout(160, { ...DEMANDS, score: 0 });
    expect(none.columns.map((c) => c.key)).not.toContain('score');
    const flexible = (layout: typeof none) => layout.columns.filter((c) => ['person', 'clients', 'title'].includes(c.key)).reduce((sum, c) => sum + c.width, 0);
    expect(flexible(none)).toBe(flexible(columnLayout(160, DEMANDS)) + 6);
  });
});
