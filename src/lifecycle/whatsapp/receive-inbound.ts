import type { Services } from '../services.js';
import { inboundOrderWindowMs } from '../../config/schema.js';
import type { Enqueue } from './batched-enqueue.js';
import { HANDLE_INBOUND, type InboundPayload } from '../jobs/job-kinds.js';
import { jobRequest } from '../jobs/job-kind.js';
import { conversationKey } from './send-request.js';

export type ReceiveResult =
  | { status: 'queued'; jobId: number }
  | { status: 'duplicate' }
  | { status: 'invalid'; problem: string };

const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;

/** The first media item, carried as sent (only its size is bounded here; the job checks the URL). */
function mediaOf(params: Record<string, string>): Pick<InboundPayload, 'media'> {
  const url = (params.MediaUrl0 ?? '').trim();
  if (url === '' || url.length > 2048) return {};
  return { media: { url, contentType: (params.MediaContentType0 ?? '').trim().toLowerCase().slice(0, 200) } };
}

/**
 * What the webhook hands over after checking the signature: the message becomes a durable
 * 'handle_inbound' job keyed by its MessageSid, atomically, so a second delivery of the same
 * message is recognised and a crash right after Twilio's acknowledgement loses nothing.
 */
export async function receiveInbound(
  services: Pick<Services, 'queue' | 'config' | 'clock'>,
  params: Record<string, string>,
  enqueue: Enqueue = (request) => services.queue.enqueue(request),
  /** When the webhook request came in (default: now). */
  receivedAt: number = services.clock.now(),
): Promise<ReceiveResult> {
  const sid = params.MessageSid ?? params.SmsMessageSid ?? '';
  if (!SID.test(sid)) return { status: 'invalid', problem: 'MessageSid is missing or malformed' };
  const from = params.From ?? '';
  if (!/^(whatsapp:)?\+?[0-9][0-9 ()-]{5,20}$/i.test(from.trim())) return { status: 'invalid', problem: 'From is missing or not a phone address' };
  if (params.Body === undefined && params.NumMedia === undefined) return { status: 'invalid', problem: 'Body is missing' };
  const account = services.config.twilio.accountSid;
  if (account !== '' && params.AccountSid !== undefined && params.AccountSid !== account) {
    return { status: 'invalid', problem: 'AccountSid does not match twilio.accountSid' };
  }
  const payload: InboundPayload = {
    messageSid: sid,
    from: from.trim(),
    body: (params.Body ?? '').slice(0, 4096),
    numMedia: Number.parseInt(params.NumMedia ?? '0', 10) || 0,
    ...(params.ProfileName ? { profileName: params.ProfileName.slice(0, 100) } : {}),
    ...(SID.test(params.OriginalRepliedMessageSid ?? '') ? { repliedToSid: params.OriginalRepliedMessageSid } : {}),
    ...mediaOf(params),
  };
  // The conversation's queue key keeps one sender's messages in arrival order across daemons:
  // each may start only conversation.orderWindowMs after it arrived, and within the key they go
  // by that time, so a message that arrived first but was stored last (another daemon, a slower
  // request) is still handled first. The time is the request's arrival, before its body was read.
  const runAt = receivedAt + inboundOrderWindowMs(services.config);
  const { job, created } = await enqueue(jobRequest(HANDLE_INBOUND, payload, { dedupeKey: `inbound:${sid}`, runAt, queueKey: conversationKey(payload.from.replace(/[\s()-]/g, '')) }));
  return created ? { status: 'queued', jobId: job.id } : { status: 'duplicate' };
}
