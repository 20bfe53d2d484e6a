import * as z from 'zod';
import type { ChatTurn } from './conversation-prompts.js';
import { briefBlocks, type MeetingBrief } from './meeting-brief.js';
import { DATA_RULES, dataBlock } from './prompt-data.js';
import { CATALOGUES, languageInstruction, type Messages } from './messages/index.js';

/** The score of a practice: 1-10 overall against a short rubric, with two concrete tips. */
const mark = z.number().int().min(1).max(10);

export const scoreSchema = z.object({
  score: mark,
  discovery: mark,
  objectionHandling: mark,
  nextStep: mark,
  tips: z.array(z.string().trim().min(1).max(400)).length(2),
  summary: z.string().trim().min(1).max(600),
});

export type RoleplayScore = z.infer<typeof scoreSchema>;

export function parseScore(value: unknown): RoleplayScore {
  const result = scoreSchema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
}

const markSchema = (description: string) => ({ type: 'integer', minimum: 1, maximum: 10, description });

export const SCORE_RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    score: markSchema('Overall score, 1-10.'),
    discovery: markSchema('Discovery: did they ask open questions and learn the client\'s needs? 1-10.'),
    objectionHandling: markSchema('Objection handling: acknowledged, clarified and answered with value? 1-10.'),
    nextStep: markSchema('Next step: did they secure a concrete, dated next step? 1-10.'),
    tips: { type: 'array', items: { type: 'string', description: 'One concrete, actionable tip.' }, minItems: 2, maxItems: 2 },
    summary: { type: 'string', description: 'Two sentences on how the practice went.' },
  },
  required: ['score', 'discovery', 'objectionHandling', 'nextStep', 'tips', 'summary'],
};

export function buildScorePrompt(brief: MeetingBrief, transcript: ChatTurn[]): { system: string; prompt: string } {
  const system = [
    'You are rolplay, a B2B sales coach. Score the salesperson\'s role-play practice below, where the bot played the client.',
    'Rubric (1-10 each): discovery, objection handling, next step; the overall score weighs all three.',
    'Give exactly two concrete tips based on what the salesperson actually said. Reply as JSON matching the response schema.',
    `The tips and the summary are for the salesperson: ${languageInstruction(brief.language)}`,
    DATA_RULES,
  ].join('\n');
  const lines = transcript.map((t) => `${t.from === 'bot' ? 'CLIENT' : 'SALESPERSON'}: ${t.text}`).join('\n');
  return { system, prompt: `${briefBlocks(brief)}\n\n${dataBlock('roleplay_transcript', lines, 12000)}` };
}

/** `trend`: how this score compares with the practices before (compareWithRecent), and what the practice trained. */
export function formatScore(score: RoleplayScore, trend: string[] = [], m: Messages = CATALOGUES.en): string {
  const r = m.roleplay;
  return [
    `*${r.scoreHeading({ score: score.score })}*`,
    r.scoreParts(score),
    ...(trend.length > 0 ? [trend.join(' ')] : []),
    score.summary,
    `*${r.twoTips}*\n1. ${score.tips[0]}\n2. ${score.tips[1]}`,
    r.practiseAgain,
  ].join('\n\n');
}
