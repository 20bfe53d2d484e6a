import { ModelOutputError, isModelRefusal } from '../../clients/gemini/language-model.js';
import { buildCoachRequest } from '../../domain/conversation-prompts.js';
import { readPlan } from '../../domain/plan.js';
import { loadMeetingBrief } from './load-meeting-brief.js';
import { CHAT_KINDS, capReply, reply, toChatTurns, type InboundTurn } from '../whatsapp/inbound-context.js';
import { replyAloud } from '../whatsapp/voice-reply.js';

export const COACH_REFUSED_TEXT = 'Sorry, I cannot answer that one. Could you put it another way? I can help with your meeting, the client, or how to handle an objection.';

/** Free text: Gemini answers as a coach, with the meeting, its plan and the last turns as context. */
export async function coachReply(turn: InboundTurn): Promise<void> {
  const { services, user, meeting, message } = turn;
  const max = services.config.conversation.maxReplyChars;
  if (!services.model) {
    return reply(turn, 'I can only follow commands for now (send *help*): the coach model is not configured. Ask your administrator to set gemini.apiKey.', 'coach');
  }
  const recent = await services.store.messages.recentForUser(user.id, services.config.conversation.historyTurns * 3 + 1);
  const history = recent
    .filter((m) => m.id !== message.id && CHAT_KINDS.has(m.kind) && (m.meeting_id === null || m.meeting_id === (meeting?.id ?? null)))
    .slice(-services.config.conversation.historyTurns);
  const brief = meeting ? await loadMeetingBrief(services, meeting, user, turn.readCrm) : undefined;
  const request = buildCoachRequest(brief, meeting ? readPlan(meeting.plan_json) : undefined, toChatTurns(history), message.body, max);
  let text: string;
  try {
    text = await services.model.generateText(request);
  } catch (error) {
    // A refusal is final (asking again gets the same answer): say so instead of staying silent.
    if (isModelRefusal(error)) text = COACH_REFUSED_TEXT;
    else if (error instanceof ModelOutputError) text = 'I cannot help with that one. Try asking about your meeting, the client or how to handle an objection.';
    else throw error;
  }
  // Spoken too when the salesperson spoke and conversation.voiceReplies is "always".
  await replyAloud(turn, capReply(text, max), 'coach');
}
