/**
 * The next practice follows from the last ones: the rubric part a salesperson scored lowest on
 * lately picks the client persona of their next role-play, and each score is compared with the
 * practices before it. Pure rules; the role-play use case reads the marks from the store.
 */
import { CATALOGUES, type Messages } from './messages/index.js';
import { mark } from './messages/intl-text.js';

export type RubricPart = 'discovery' | 'objectionHandling' | 'nextStep';

export const RUBRIC_PARTS: readonly RubricPart[] = ['discovery', 'objectionHandling', 'nextStep'];

export const RUBRIC_LABELS: Record<RubricPart, string> = {
  discovery: 'discovery',
  objectionHandling: 'objection handling',
  nextStep: 'next step',
};

/** How many recent practices choose the focus, and how many a score is compared with. */
export const FOCUS_WINDOW = 5;
export const COMPARE_WINDOW = 3;

export interface PracticeMarks {
  score: number;
  discovery: number;
  objectionHandling: number;
  nextStep: number;
}

export interface PracticeFocus {
  part: RubricPart;
  /** The part's average over the practices considered. */
  average: number;
  practices: number;
}

/**
 * The weakest rubric part over `recent` (newest first; the first FOCUS_WINDOW count), or
 * undefined when there is no practice yet or all three parts average the same (no weakest).
 * Ties between two low parts go to the earlier in the conversation: discovery, then objection
 * handling, then next step.
 */
export function weakestPart(recent: PracticeMarks[]): PracticeFocus | undefined {
  const window = recent.slice(0, FOCUS_WINDOW);
  if (window.length === 0) return undefined;
  const averages = RUBRIC_PARTS.map((part) => ({ part, average: window.reduce((sum, p) => sum + p[part], 0) / window.length }));
  const lowest = averages.reduce((a, b) => (b.average < a.average ? b : a));
  if (averages.every((a) => a.average === lowest.average)) return undefined;
  return { part: lowest.part, average: lowest.average, practices: window.length };
}

/** The persona line added to the role-play prompt for a focus. */
export const FOCUS_PERSONA: Record<RubricPart, string> = {
  discovery: 'This practice trains discovery: you dodge discovery questions. Give short, guarded answers about your needs, budget, timeline and who decides; volunteer nothing, and open up only when the salesperson asks a good open question and digs deeper.',
  objectionHandling: 'This practice trains objection handling: raise hard objections (price, an incumbent competitor, timing, risk) and push back again when an answer is vague or defensive; be convinced only by a clear, specific answer about value.',
  nextStep: 'This practice trains closing on a next step: avoid committing. When a next step comes up, stay vague ("send me something", "let\'s talk next quarter") and agree to a concrete, dated next step only when the salesperson proposes one clearly and holds to it.',
};

/** The line of the role-play's opening message that says what it trains. */
export function focusIntro(focus: PracticeFocus, m: Messages = CATALOGUES.en): string {
  return m.roleplay.focusIntro({ part: focus.part, average: mark(m.locale, focus.average), practices: focus.practices });
}

/** "Up from a 6.3 average over your last 3 practices." Undefined when there is nothing before. */
export function compareWithRecent(score: number, previous: PracticeMarks[], m: Messages = CATALOGUES.en): string | undefined {
  const window = previous.slice(0, COMPARE_WINDOW);
  if (window.length === 0) return undefined;
  const average = window.reduce((sum, p) => sum + p.score, 0) / window.length;
  const rounded = Math.round(average * 10) / 10;
  const direction = score > rounded ? 'up' : score < rounded ? 'down' : 'level';
  return m.roleplay.compared({ direction, average: mark(m.locale, average), practices: window.length });
}

/** One decimal, without a trailing ".0": 6.3, 7. */
export function formatMark(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}
