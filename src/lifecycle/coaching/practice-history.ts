import { COMPARE_WINDOW, FOCUS_WINDOW, RUBRIC_PARTS, compareWithRecent, weakestPart, type PracticeFocus, type PracticeMarks, type RubricPart } from '../../domain/practice-focus.js';
import type { ChatTurn } from '../../domain/conversation-prompts.js';
import type { RoleplayScore } from '../../domain/roleplay-score.js';
import { CATALOGUES, type Messages } from '../../domain/messages/index.js';
import type { ConversationRow } from '../../store/database.js';
import type { RoleplayMarks } from '../../store/roleplays-repo.js';
import type { Services } from '../services.js';

/** The rubric part the salesperson's next practice leans on: their weakest over the last few practices. */
export async function chooseFocus(services: Pick<Services, 'store'>, userId: number): Promise<PracticeFocus | undefined> {
  return weakestPart((await services.store.roleplays.recentForUser(userId, FOCUS_WINDOW)).map(marksOf));
}

export function isRubricPart(value: string | null | undefined): value is RubricPart {
  return (RUBRIC_PARTS as readonly string[]).includes(value ?? '');
}

/**
 * Records a scored practice (one row per practice, however often it is scored) and returns the
 * lines the score message adds: how it compares with the practices before it, and how the part
 * it trained went.
 */
export async function recordPractice(
  services: Pick<Services, 'store' | 'clock'>,
  practice: { userId: number; meetingId: number; state: ConversationRow; score: RoleplayScore; transcript: ChatTurn[] },
  m: Messages = CATALOGUES.en,
): Promise<string[]> {
  const { state, score } = practice;
  const startedAt = state.roleplay_started_at ?? services.clock.now();
  const focus = isRubricPart(state.roleplay_focus) ? state.roleplay_focus : null;
  const before = await services.store.roleplays.recentForUser(practice.userId, COMPARE_WINDOW, startedAt);
  await services.store.roleplays.record({
    meetingId: practice.meetingId, userId: practice.userId, difficulty: state.difficulty, focus,
    startedAt, scoredAt: services.clock.now(),
    score: score.score, discovery: score.discovery, objectionHandling: score.objectionHandling, nextStep: score.nextStep,
    summary: score.summary, tips: score.tips, transcript: practice.transcript,
  });
  const lines: string[] = [];
  const comparison = compareWithRecent(score.score, before.map(marksOf), m);
  lines.push(comparison ?? m.roleplay.firstPractice);
  if (focus) lines.push(m.roleplay.trained({ part: focus, mark: score[focus] }));
  return lines;
}

function marksOf(row: RoleplayMarks): PracticeMarks {
  return { score: row.score, discovery: row.discovery, objectionHandling: row.objection_handling, nextStep: row.next_step };
}
