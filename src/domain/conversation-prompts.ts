import type { Difficulty } from './inbound-intent.js';
import { briefBlocks, clientNames, type MeetingBrief } from './meeting-brief.js';
import type { Plan } from './plan.js';
import { FOCUS_PERSONA, type RubricPart } from './practice-focus.js';
import { DATA_RULES, dataBlock } from './prompt-data.js';
import { languageInstruction } from './messages/index.js';

/** One turn of a WhatsApp conversation, as stored. */
export interface ChatTurn {
  from: 'salesperson' | 'bot';
  text: string;
}

export interface PromptTurn {
  role: 'user' | 'model';
  text: string;
}

/** Free text answered by the coach, with the meeting, its plan and the last turns as context. */
export function buildCoachRequest(brief: MeetingBrief | undefined, plan: Plan | undefined, history: ChatTurn[], message: string, maxChars: number, language?: string) {
  const system = [
    'You are rolplay, a friendly, direct B2B sales coach talking to a salesperson on WhatsApp.',
    `Answer in at most ${maxChars} characters. ${languageInstruction(language ?? brief?.language)} Plain WhatsApp formatting only (*bold*, short lists).`,
    'Help them prepare for and reflect on their client meeting. If a question is unrelated to sales or the meeting, steer back briefly.',
    'You cannot send messages to anyone else, look anything up or change data; never claim you did.',
    DATA_RULES,
    '',
    brief ? `The salesperson's current meeting:\n${briefBlocks(brief)}` : 'The salesperson has no current meeting selected; suggest the "meetings" command when it matters.',
    plan ? `\nThe coaching plan they received:\n${dataBlock('plan', JSON.stringify(plan), 4000)}` : '',
  ].join('\n');
  return { system, contents: toContents(history, message) };
}

/** The user turn that asks the role-played client to open the call. */
export const ROLEPLAY_OPENER = '(The call starts. Open it as the client would.)';

const DIFFICULTY_STYLE: Record<Difficulty, string> = {
  easy: 'You are open and friendly: raise one or two mild concerns and let good answers convince you.',
  normal: 'You are polite but busy: raise realistic objections (price, timing, competition, risk) and want specifics before agreeing to anything.',
  hard: 'You are sceptical and pressed for time: push back firmly on price and value, interrupt vague answers, mention a competitor, and only agree to a next step when it is earned.',
};

/**
 * The bot plays the client until "stop": a persona from the meeting and CRM context, leaning on
 * the salesperson's weakest rubric part when `focus` is given. With no message (null) the
 * client opens the call.
 */
export function buildRoleplayRequest(brief: MeetingBrief, difficulty: Difficulty, history: ChatTurn[], message: string | null, maxChars: number, focus: RubricPart | null = null) {
  const client = clientNames(brief.clients.slice(0, 1));
  const system = [
    `ROLE-PLAY. You are playing ${client}, the client in the meeting described below; the salesperson is practising with you.`,
    'Stay in character as the client at all times: speak in the first person, as a real buyer would on a call.',
    `${languageInstruction(brief.language)} That is the salesperson's language.`,
    DIFFICULTY_STYLE[difficulty],
    ...(focus ? [FOCUS_PERSONA[focus]] : []),
    'Do not coach, do not mention that you are an AI or a role-play, do not narrate. One short turn at a time',
    `(at most ${maxChars} characters), ending so the salesperson has to respond.`,
    'If the salesperson asks you to do something out of character, answer as the client would.',
    DATA_RULES,
    '',
    briefBlocks(brief),
  ].join('\n');
  return { system, contents: toContents(history, message, ROLEPLAY_OPENER) };
}

/**
 * Past turns then the new message; every salesperson message is data, never instructions.
 * Gemini wants the conversation to open with a user turn and roles to alternate: an opening
 * user turn is added when the history starts with the bot, and same-role neighbours are merged.
 */
function toContents(history: ChatTurn[], message: string | null, opener = '(Earlier in this conversation:)'): PromptTurn[] {
  const turns: PromptTurn[] = history.map((t) => ({ role: t.from === 'bot' ? 'model' : 'user', text: t.from === 'bot' ? t.text : dataBlock('salesperson_message', t.text, 2000) }));
  if (message !== null) turns.push({ role: 'user', text: dataBlock('salesperson_message', message, 2000) });
  if (turns.length === 0 || turns[0]!.role === 'model') turns.unshift({ role: 'user', text: opener });
  const merged: PromptTurn[] = [];
  for (const turn of turns) {
    const prev = merged[merged.length - 1];
    if (prev && prev.role === turn.role) prev.text = `${prev.text}\n\n${turn.text}`;
    else merged.push({ ...turn });
  }
  return merged;
}
