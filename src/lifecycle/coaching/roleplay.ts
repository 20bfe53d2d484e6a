import { ModelOutputError, isModelRefusal } from '../../clients/gemini/language-model.js';
import { buildRoleplayRequest } from '../../domain/conversation-prompts.js';
import { clientNames } from '../../domain/meeting-brief.js';
import { SCORE_RESPONSE_SCHEMA, buildScorePrompt, formatScore, parseScore } from '../../domain/roleplay-score.js';
import type { Difficulty } from '../../domain/inbound-intent.js';
import type { ConversationRow } from '../../store/database.js';
import { generateValidated } from './generate-validated.js';
import { loadMeetingBrief } from './load-meeting-brief.js';
import { chooseFocus, isRubricPart, recordPractice } from './practice-history.js';
import { focusIntro } from '../../domain/practice-focus.js';
import { capReply, reply, toChatTurns, type InboundTurn } from '../whatsapp/inbound-context.js';
import { replyAloud } from '../whatsapp/voice-reply.js';
import { CATALOGUES, messagesFor } from '../../domain/messages/index.js';

/** Polite answers when Gemini refuses (a block is final: asking again gets the same refusal); English here, the salesperson's in their catalogue. */
export const ROLEPLAY_START_REFUSED_TEXT = CATALOGUES.en.roleplay.startRefused;
export const ROLEPLAY_TURN_REFUSED_TEXT = CATALOGUES.en.roleplay.turnRefused;
export const ROLEPLAY_SCORE_REFUSED_TEXT = CATALOGUES.en.roleplay.scoreRefused;

/** Marks the first line of the role-play's opening message, so it is not replayed as the client's words. */
const INTRO_MARK = '🎭';

export async function startRoleplay(turn: InboundTurn, difficulty: Difficulty): Promise<void> {
  const { services, user, meeting } = turn;
  const { roleplay: r } = messagesFor(user.language);
  if (!meeting) return reply(turn, r.noMeeting, 'command', null);
  if (!services.model) return reply(turn, r.notConfigured, 'command');
  const now = services.clock.now();
  // The client leans on the salesperson's weakest rubric part of their recent practices.
  const focus = await chooseFocus(services, user.id);
  await services.store.conversations.startRoleplay(user.id, meeting.id, difficulty, now, focus?.part ?? null);
  const brief = await loadMeetingBrief(services, meeting, user, turn.readCrm);
  const request = buildRoleplayRequest(brief, difficulty, [], null, services.config.conversation.maxReplyChars, focus?.part ?? null);
  let opening: string;
  try {
    opening = await services.model.generateText(request);
  } catch (error) {
    if (!isModelRefusal(error)) throw error;
    await services.store.conversations.stopRoleplay(user.id, services.clock.now());
    return reply(turn, r.startRefused, 'command');
  }
  const line = capReply(opening, services.config.conversation.maxReplyChars);
  const m = messagesFor(user.language);
  const client = clientNames(brief.clients.slice(0, 1), m.general.yourClient);
  const intro = `${INTRO_MARK} ${r.intro({ difficulty: r.difficulty[difficulty], client, focus: focus ? focusIntro(focus, m) : '' })}`;
  await reply(turn, `${intro}\n\n${line}`, 'roleplay');
}

/** One turn of the practice: the model answers in character, with the practice so far. */
export async function roleplayTurn(turn: InboundTurn, state: ConversationRow): Promise<void> {
  const { services, user, meeting, message } = turn;
  const { roleplay: r } = messagesFor(user.language);
  if (!meeting || !services.model) return reply(turn, r.cannotContinue, 'command');
  const history = (await transcript(turn, state)).filter((m) => m.id !== message.id).slice(-services.config.conversation.historyTurns);
  const brief = await loadMeetingBrief(services, meeting, user, turn.readCrm);
  const focus = isRubricPart(state.roleplay_focus) ? state.roleplay_focus : null;
  const request = buildRoleplayRequest(brief, (state.difficulty ?? 'normal') as Difficulty, toChatTurns(history), message.body, services.config.conversation.maxReplyChars, focus);
  let line: string;
  try {
    line = await services.model.generateText(request);
  } catch (error) {
    // Not a 'roleplay' message: the note must not reach later prompts as the client's words.
    if (isModelRefusal(error)) return reply(turn, r.turnRefused, 'command');
    if (!(error instanceof ModelOutputError)) throw error;
    line = r.sayAgain;
  }
  // The client's answer, as a voice note too when the salesperson spoke (conversation.voiceReplies).
  await replyAloud(turn, capReply(line, services.config.conversation.maxReplyChars), 'roleplay');
}

/**
 * "stop": ends the practice once (compare-and-set), scores it 1-10 against the rubric with two
 * tips, records the practice (roleplays) and the latest score on the meeting, and sends it with
 * how it compares with the salesperson's last three practices. If scoring fails the practice is
 * reopened and the error rethrown, so the job's retry scores it later; if Gemini refuses,
 * the salesperson is told and the practice stays stopped.
 */
export async function stopRoleplay(turn: InboundTurn): Promise<void> {
  const { services, user } = turn;
  const m = messagesFor(user.language);
  const ended = await services.store.conversations.stopRoleplay(user.id, services.clock.now());
  if (!ended || ended.roleplay_meeting_id === null) return reply(turn, m.roleplay.notRunning, 'command');
  const meeting = await services.store.meetings.byId(ended.roleplay_meeting_id);
  const messages = (await transcript(turn, ended)).filter((m) => m.id !== turn.message.id);
  if (!meeting || meeting.user_id !== user.id || !services.model || !messages.some((m) => m.direction === 'in')) {
    return reply(turn, m.roleplay.nothingToScore, 'command');
  }
  try {
    const brief = await loadMeetingBrief(services, meeting, user, turn.readCrm);
    const turns = toChatTurns(messages);
    const { system, prompt } = buildScorePrompt(brief, turns);
    const score = await generateValidated(services.model, { system, prompt, schema: SCORE_RESPONSE_SCHEMA, validate: parseScore }, services.logger, 'roleplay score');
    const trend = await recordPractice(services, { userId: user.id, meetingId: meeting.id, state: ended, score, transcript: turns }, m);
    await services.store.meetings.update(meeting.id, { roleplay_score: score.score, updated_at: services.clock.now() });
    await reply(turn, formatScore(score, trend, m), 'roleplay_score', meeting.id);
  } catch (error) {
    // Scoring again would be refused again: the practice stays stopped, with a polite word.
    if (isModelRefusal(error)) return reply(turn, m.roleplay.scoreRefused, 'command', meeting.id);
    await services.store.conversations.startRoleplay(user.id, meeting.id, ended.difficulty ?? 'normal', ended.roleplay_started_at ?? services.clock.now(), ended.roleplay_focus);
    throw error;
  }
}

/** The practice so far: role-play messages about its meeting since it started, intro lines removed. */
async function transcript(turn: InboundTurn, state: ConversationRow) {
  const { services, user } = turn;
  if (state.roleplay_meeting_id === null) return [];
  const rows = await services.store.messages.recentForUser(user.id, 200, state.roleplay_meeting_id);
  return rows
    .filter((m) => m.kind === 'roleplay' && m.created_at >= (state.roleplay_started_at ?? 0))
    .map((m) => (m.direction === 'out' && m.body.startsWith(INTRO_MARK) ? { ...m, body: m.body.split('\n\n').slice(1).join('\n\n') } : m))
    .filter((m) => m.body.trim() !== '');
}
