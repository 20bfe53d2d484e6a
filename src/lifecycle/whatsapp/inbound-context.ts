import type { MeetingRow, MessageRow, UserRow } from '../../store/database.js';
import type { Intent } from '../../domain/inbound-intent.js';
import type { ChatTurn } from '../../domain/conversation-prompts.js';
import { sendWhatsAppRequest } from './send-request.js';
import type { Services } from '../services.js';
import type { CrmContextReader } from '../coaching/load-meeting-brief.js';

/** One inbound message being handled, with what the use cases need to answer it. */
export interface InboundTurn {
  services: Services;
  user: UserRow;
  /** The stored inbound message. */
  message: MessageRow;
  intent: Intent;
  /** The conversation's meeting (the role-play's while one runs). */
  meeting: MeetingRow | undefined;
  readCrm: CrmContextReader | undefined;
  /** The outbound message the user quoted with WhatsApp's reply, if any. */
  repliedToSid?: string;
  /**
   * The inbound job's place in its conversation (its run_at): the reply takes the same place, so
   * it goes out right after this message and before the next one is handled.
   */
  orderAt?: number;
  /** True when the salesperson spoke: the message is the transcript of a voice note. */
  voice?: boolean;
}

/** Kinds of stored messages that are conversation turns (not plans, templates or alerts). */
export const CHAT_KINDS = new Set(['chat', 'coach', 'command']);

/**
 * Queues the one reply to an inbound message. The key is the inbound MessageSid, so a retried
 * handler never answers twice; the recipient is always the sender, never chosen by the model.
 * `mediaId`: a spoken version of `body` (voice-reply.ts) goes with it.
 */
export async function reply(turn: InboundTurn, body: string, kind: string, meetingId: number | null = turn.meeting?.id ?? null, mediaId?: string): Promise<void> {
  await turn.services.queue.enqueue(sendWhatsAppRequest(
    { to: turn.user.phone, body, kind, userId: turn.user.id, meetingId, ...(mediaId ? { mediaId } : {}) },
    `reply:${turn.message.twilio_sid ?? `msg-${turn.message.id}`}`,
    { reply: true, runAt: turn.orderAt },
  ));
}

/** Stored messages as prompt turns, oldest first. */
export function toChatTurns(rows: MessageRow[]): ChatTurn[] {
  return rows.map((m) => ({ from: m.direction === 'in' ? 'salesperson' : 'bot', text: m.body }));
}

/** Cuts a model reply to the configured length at a sentence or word boundary. */
export function capReply(text: string, maxChars: number): string {
  const clean = text.trim();
  if (clean.length <= maxChars) return clean;
  const cut = clean.slice(0, maxChars - 1);
  const sentence = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('? '), cut.lastIndexOf('! '), cut.lastIndexOf('\n'));
  if (sentence > maxChars * 0.6) return cut.slice(0, sentence + 1).trim();
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars * 0.6 ? cut.slice(0, space) : cut).trim()}…`;
}
