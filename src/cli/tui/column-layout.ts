/**
 * Column widths for the meetings table. Each column gets what its widest cell needs (names and
 * clients up to a cap), the title the rest. When the terminal is too narrow, the table degrades
 * step by step (a shorter time, then no markers, then no score, then no clients, then smaller minimums) so the
 * id and the status stay visible and no line wraps, down to 50 columns.
 */
export type ColumnKey = 'id' | 'start' | 'person' | 'clients' | 'title' | 'status' | 'markers' | 'score';

/**
 * Cells each column's content needs (header included), before any cap. `score` is 0 when no
 * listed meeting has been practised: the column is left out rather than drawn empty.
 */
export type ColumnDemands = Record<Exclude<ColumnKey, 'start' | 'markers'>, number>;

export interface ColumnLayout {
  /** The columns drawn, in order, with their widths in terminal cells. */
  columns: Array<{ key: ColumnKey; width: number }>;
  /** "01-06 15:00" instead of "2026-01-06 15:00". */
  shortStart: boolean;
}

/** The "› " in front of each row. */
export const CURSOR_CELLS = 2;
export const FULL_START = 16;
export const SHORT_START = 11;
export const MARKERS = 5;
/** "SCORE" and "10/10". */
export const SCORE = 5;
/** Past this a long name or client list is cut (the title, last flexible column, takes the rest). */
export const NAME_CAP = 40;

const ORDER: ColumnKey[] = ['id', 'start', 'person', 'clients', 'title', 'status', 'markers', 'score'];
const FLEXIBLE = ['person', 'clients', 'title'] as const;

interface Step {
  shortStart: boolean;
  markers: boolean;
  score: boolean;
  clients: boolean;
  minimum: number;
}

const STEPS: Step[] = [
  { shortStart: false, markers: true, score: true, clients: true, minimum: 8 },
  { shortStart: true, markers: true, score: true, clients: true, minimum: 8 },
  { shortStart: true, markers: false, score: true, clients: true, minimum: 8 },
  { shortStart: true, markers: false, score: false, clients: true, minimum: 8 },
  { shortStart: true, markers: false, score: false, clients: false, minimum: 8 },
  { shortStart: true, markers: false, score: false, clients: false, minimum: 5 },
];

export function columnLayout(width: number, demands: ColumnDemands): ColumnLayout {
  const available = width - CURSOR_CELLS;
  let chosen = STEPS[STEPS.length - 1]!;
  for (const step of STEPS) {
    if (fixedCells(step, demands) + flexibleOf(step).length * step.minimum <= available) {
      chosen = step;
      break;
    }
  }
  const widths = new Map<ColumnKey, number>([
    ['id', demands.id],
    ['start', chosen.shortStart ? SHORT_START : FULL_START],
    ['status', demands.status],
  ]);
  if (chosen.markers) widths.set('markers', MARKERS);
  if (scoreShown(chosen, demands)) widths.set('score', SCORE);
  const flexible = flexibleOf(chosen);
  const rest = Math.max(flexible.length * chosen.minimum, available - fixedCells(chosen, demands));
  const shares = share(rest, flexible.map((key) => Math.max(chosen.minimum, key === 'title' ? demands.title : Math.min(NAME_CAP, demands[key]))));
  flexible.forEach((key, i) => widths.set(key, shares[i]!));
  // The title takes whatever the others leave.
  widths.set('title', widths.get('title')! + rest - shares.reduce((a, b) => a + b, 0));
  return { columns: ORDER.filter((key) => widths.has(key)).map((key) => ({ key, width: widths.get(key)! })), shortStart: chosen.shortStart };
}

function flexibleOf(step: Step): Array<(typeof FLEXIBLE)[number]> {
  return FLEXIBLE.filter((key) => key !== 'clients' || step.clients);
}

/** Cells taken by the fixed columns and by the one-space gaps between all columns. */
function fixedCells(step: Step, demands: ColumnDemands): number {
  const score = scoreShown(step, demands);
  const count = 3 /* id, start, status */ + (step.markers ? 1 : 0) + (score ? 1 : 0) + flexibleOf(step).length;
  return demands.id + (step.shortStart ? SHORT_START : FULL_START) + demands.status + (step.markers ? MARKERS : 0) + (score ? SCORE : 0) + (count - 1);
}

function scoreShown(step: Step, demands: ColumnDemands): boolean {
  return step.score && demands.score > 0;
}

/**
 * Splits `total` cells among columns wanting `demands`: the smallest demands are met in full and
 * the others share what is left equally (max-min fairness), never below their fair share.
 */
function share(total: number, demands: number[]): number[] {
  const result = new Array<number>(demands.length).fill(0);
  const order = demands.map((d, i) => [d, i] as const).sort((a, b) => a[0] - b[0]);
  let left = total;
  order.forEach(([demand, index], n) => {
    const fair = Math.floor(left / (order.length - n));
    result[index] = Math.min(demand, fair);
    left -= result[index]!;
  });
  return result;
}
