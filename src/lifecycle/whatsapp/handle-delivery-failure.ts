import { isDeliveryFailure } from '../../domain/delivery-status.js';
import { maskPhone } from '../../domain/phone.js';
import { twilioErrorHint } from '../../clients/twilio/twilio-error.js';
import { defineJob } from '../jobs/job-contract.js';
import { jobRequest } from '../jobs/job-kind.js';
import { payloadIf } from '../jobs/job-payload.js';
import { DELIVERY_FAILURE, SEND_WHATSAPP } from '../jobs/job-kinds.js';
import type { MessageRow, UserRow } from '../../store/database.js';
import { alertAdmin } from './alert-admin.js';
import { isBusinessKind, templateInstead, type BusinessKind } from './business-message.js';
import type { SendWhatsAppPayload } from '../jobs/job-kinds.js';
import type { Services } from '../services.js';

const OUTSIDE_WINDOW = 63016;

/** One job per failed message SID: a callback delivered twice enqueues nothing more. */
export function deliveryFailureRequest(sid: string) {
  return jobRequest(DELIVERY_FAILURE, { sid }, { dedupeKey: `${DELIVERY_FAILURE.name}:${sid}` });
}

/**
 * 'delivery_failure' {sid}: Twilio accepted a message, then reported it failed or undelivered.
 * A welcome, plan or reminder refused as free text outside WhatsApp's 24-hour window (63016)
 * gets what sendBusinessMessage does up front: the approved template goes out and the full text
 * waits until the salesperson writes, once per original message (all parts of a split plan
 * share the send job's key). Without that template, and for any other error, the admin is told:
 * once per message for a missed 63016, once per error code a day otherwise. Nothing is resent
 * as free text.
 */
export const deliveryFailureJob = defineJob(DELIVERY_FAILURE, (services) => async ({ payload, logger }) => {
  const message = await services.store.messages.bySid(payload.sid);
  if (!message || !isDeliveryFailure(message.delivery_status ?? '')) return { skipped: 'no failure recorded for this message' };
  const code = message.error_code;
  if (message.kind === 'admin') {
    // Telling the admin that the admin alert failed would only fail again.
    logger.warn({ sid: message.twilio_sid, errorCode: code }, 'an admin alert was not delivered on WhatsApp');
    return { skipped: 'admin alert' };
  }
  const user = message.user_id !== null ? await services.store.users.byId(message.user_id) : undefined;
  const sent = await sendPayloadOf(services, message);
  if (code === OUTSIDE_WINDOW && isBusinessKind(message.kind) && user && !sent?.payload.template) {
    return fallBackToTemplate(services, message, user, sent);
  }
  const day = new Date(services.clock.now()).toISOString().slice(0, 10);
  const hint = code !== null ? twilioErrorHint(code) : undefined;
  await alertAdmin(services, `delivery-error:${code ?? 'none'}:${day}`,
    `WhatsApp did not deliver a ${message.kind} message to ${who(user, message)}: Twilio ${code !== null ? `error ${code}` : 'gave no error code'}` +
    `${hint ? ` (${hint})` : code !== null ? ` (see https://www.twilio.com/docs/errors/${code})` : ''}. ` +
    'Not resent; further failures with this code today are only logged.');
  return { alerted: code };
});

async function fallBackToTemplate(services: Services, message: MessageRow, user: UserRow, sent: SentJob | undefined): Promise<unknown> {
  const kind = message.kind as BusinessKind;
  // The send job's key names the original message, so every part of it falls back once.
  const dedupeKey = sent?.dedupeKey ?? `message:${message.twilio_sid}`;
  const payload: SendWhatsAppPayload = sent?.payload ?? { to: message.phone, kind, userId: user.id, meetingId: message.meeting_id };
  const contentSid = await templateInstead(services, { payload, user, text: payload.body ?? message.body, dedupeKey });
  if (contentSid) return { template: contentSid, heldBack: dedupeKey };
  const meeting = message.meeting_id !== null ? await services.store.meetings.byId(message.meeting_id) : undefined;
  await alertAdmin(services, `undelivered:${dedupeKey}`,
    `${who(user, message)} did not get the ${kind}${meeting ? ` for "${meeting.title}"` : ''}: WhatsApp refused it as free text outside the 24-hour window (Twilio error 63016). ` +
    `Set twilio.templates.${kind} to an approved Content template (HX...) and rolplay will send that instead, holding the full text until they write.`);
  return { alerted: OUTSIDE_WINDOW };
}

interface SentJob {
  dedupeKey: string;
  payload: SendWhatsAppPayload;
}

/** The send job behind a message: its payload has the whole text and the template variables. */
async function sendPayloadOf(services: Services, message: MessageRow): Promise<SentJob | undefined> {
  if (message.job_id === null) return undefined;
  const job = await services.store.jobs.byId(message.job_id);
  const payload = job && payloadIf(SEND_WHATSAPP, job);
  return payload ? { dedupeKey: job.dedupe_key, payload } : undefined;
}

function who(user: UserRow | undefined, message: MessageRow): string {
  return user ? `${user.name} (${user.email})` : maskPhone(message.phone);
}
