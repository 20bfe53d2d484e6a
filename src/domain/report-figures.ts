/**
 * The figures of `rolplay report` (public JSON field names, see the README) and the arithmetic
 * that turns per-salesperson sums into them. Averages are exact (sums over counts, rounded only
 * for output); the team's are over all its role-plays, not an average of averages.
 */
export interface RubricAverages {
  discovery: number | null;
  objectionHandling: number | null;
  nextStep: number | null;
}

export interface MissingOutcome {
  meetingId: number;
  title: string;
  email: string;
  /** ISO 8601, UTC. */
  startAt: string;
  endAt: string;
  status: string;
  /** 'salesperson': nobody answered the question; 'hubspot': answered, not logged to HubSpot yet. */
  waitingFor: 'salesperson' | 'hubspot';
}

/** This period minus the previous one; null when either side has no average. */
export type ReportChange = Omit<ReportFigures, 'missingOutcomes' | 'scoreTrend' | 'change'>;

export interface ReportFigures {
  meetings: number;
  plansSent: number;
  roleplays: number;
  averageScore: number | null;
  rubric: RubricAverages;
  outcomesLogged: number;
  missingOutcomes: MissingOutcome[];
  medianHoursToOutcome: number | null;
  /** Average score per slice of the period (period.trendDays long each), oldest first; null = no role-play. */
  scoreTrend: Array<number | null>;
  change: ReportChange;
}

/** Sums for one salesperson (or the team) in one period. */
export interface Tally {
  meetings: number;
  plansSent: number;
  roleplays: number;
  score: number;
  discovery: number;
  objectionHandling: number;
  nextStep: number;
  /** Hours from meeting end to logged outcome, one per outcome. */
  hoursToOutcome: number[];
}

export const emptyTally = (): Tally => ({ meetings: 0, plansSent: 0, roleplays: 0, score: 0, discovery: 0, objectionHandling: 0, nextStep: 0, hoursToOutcome: [] });

/** Adds `b` into `a`. */
export function addTally(a: Tally, b: Tally): void {
  a.meetings += b.meetings;
  a.plansSent += b.plansSent;
  a.roleplays += b.roleplays;
  a.score += b.score;
  a.discovery += b.discovery;
  a.objectionHandling += b.objectionHandling;
  a.nextStep += b.nextStep;
  a.hoursToOutcome.push(...b.hoursToOutcome);
}

/** Role-play counts and score sums per trend slice. */
export interface TrendSlice {
  roleplays: number;
  score: number;
}

export function figuresOf(current: Tally, previous: Tally, trend: TrendSlice[], missing: MissingOutcome[]): ReportFigures {
  const now = averagesOf(current);
  const before = averagesOf(previous);
  const median = medianOf(current.hoursToOutcome);
  const previousMedian = medianOf(previous.hoursToOutcome);
  return {
    meetings: current.meetings,
    plansSent: current.plansSent,
    roleplays: current.roleplays,
    averageScore: round(now.score),
    rubric: { discovery: round(now.discovery), objectionHandling: round(now.objectionHandling), nextStep: round(now.nextStep) },
    outcomesLogged: current.hoursToOutcome.length,
    missingOutcomes: missing,
    medianHoursToOutcome: round(median),
    scoreTrend: trend.map((s) => (s.roleplays === 0 ? null : round(s.score / s.roleplays))),
    change: {
      meetings: current.meetings - previous.meetings,
      plansSent: current.plansSent - previous.plansSent,
      roleplays: current.roleplays - previous.roleplays,
      averageScore: difference(now.score, before.score),
      rubric: {
        discovery: difference(now.discovery, before.discovery),
        objectionHandling: difference(now.objectionHandling, before.objectionHandling),
        nextStep: difference(now.nextStep, before.nextStep),
      },
      outcomesLogged: current.hoursToOutcome.length - previous.hoursToOutcome.length,
      medianHoursToOutcome: difference(median, previousMedian),
    },
  };
}

function averagesOf(t: Tally) {
  const avg = (sum: number) => (t.roleplays === 0 ? null : sum / t.roleplays);
  return { score: avg(t.score), discovery: avg(t.discovery), objectionHandling: avg(t.objectionHandling), nextStep: avg(t.nextStep) };
}

export function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Two decimals: enough for averages of 1-10 marks and for hours. */
export function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : round(a - b);
}
