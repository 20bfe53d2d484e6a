import { ModelOutputError, isModelRefusal } from '../../clients/gemini/language-model.js';
import { buildCoachRequest } from '../../domain/conversation-prompts.js';
import { readPlan } from '../../domain/plan.js';
import { loadMeetingBrief } from './load-meeting-brief.js';
import { CHAT_KINDS, capReply, reply, toChatTurns, type InboundTurn } from '../whatsapp/inbound-context.js';
import { replyAloud } from '../whatsapp/voice-reply.js';
import { CATALOGUES, messagesFor } from '../../domain/messages/index.js';

/** The English refusal; the salesperson gets their catalogue's. */
export const COACH_REFUSED_TEXT = CATALOGUES.en.general.coachRefused;

/** Free text: Gemini answers as a coach, with the meeting, its plan and the last turns as context. */
export async function coachReply(turn: InboundTurn): Promise<void> {
  const { services, user, meeting, message } = turn;
  const max = services.config.conversation.maxReplyChars;
  const { general } = messagesFor(user.language);
  if (!services.model) return reply(turn, general.coachNotConfigured, 'coach');
  const recent = await services.store.messages.recentForUser(user.id, services.config.conversation.historyTurns * 3 + 1);
  const history = recent
    .filter((m) => m.id !== message.id && CHAT_KINDS.has(m.kind) && (m.meeting_id === null || m.meeting_id === (meeting?.id ?? null)))
    .slice(-services.config.conversation.historyTurns);
  const brief = meeting ? await loadMeetingBrief(services, meeting, user, turn.readCrm) : undefined;
  const request = buildCoachRequest(brief, meeting ? readPlan(meeting.plan_json) : undefined, toChatTurns(history), message.body, max, user.language);
  let text: string;
  try {
    text = await services.model.generateText(request);
  } catch (error) {
    // A refusal is final (asking again gets the same answer): say so instead of staying silent.
    if (isModelRefusal(error)) text = general.coachRefused;
    else if (error instanceof ModelOutputError) text = general.coachCannotHelp;
    else throw error;
  }
  // Spoken too when the salesperson spoke and conversation.voiceReplies is "always".
  await replyAloud(turn, capReply(text, max), 'coach');
}
