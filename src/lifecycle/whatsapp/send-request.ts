import { jobRequest, type JobPriority, type JobRequest } from '../jobs/job-kind.js';
import { SEND_WHATSAPP, type SendWhatsAppPayload } from '../jobs/job-kinds.js';

/**
 * The queue key of one salesperson's (or stranger's) conversation: their inbound messages and
 * the replies those trigger run one at a time, in arrival order, on any number of daemons.
 */
export function conversationKey(phone: string): string {
  return `conversation:${phone.replace(/^whatsapp:/i, '')}`;
}

export interface SendOptions {
  runAt?: number;
  /** A reply to an inbound message: normal priority, in its conversation's order. */
  reply?: boolean;
}

/** A 'send_whatsapp' job for one logical message; business messages (plans, reminders) are urgent. */
export function sendWhatsAppRequest(payload: SendWhatsAppPayload, dedupeKey: string, options: SendOptions = {}): JobRequest<SendWhatsAppPayload> {
  const priority: JobPriority = options.reply ? 1 : 0;
  return jobRequest(SEND_WHATSAPP, payload, {
    dedupeKey,
    meetingId: payload.meetingId ?? null,
    runAt: options.runAt,
    priority,
    ...(options.reply ? { queueKey: conversationKey(payload.to) } : {}),
  });
}
