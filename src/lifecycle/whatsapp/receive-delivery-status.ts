import { isDeliveryFailure, isDeliveryStatus } from '../../domain/delivery-status.js';
import { deliveryFailureRequest } from './handle-delivery-failure.js';
import { DELIVERY_FAILURE } from '../jobs/job-kinds.js';
import { inTransaction } from '../jobs/in-transaction.js';
import type { Services } from '../services.js';

export type StatusCallbackResult =
  | { status: 'recorded'; failure: boolean }
  | { status: 'unchanged' }
  | { status: 'unknown' }
  | { status: 'invalid'; problem: string };

const SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

/**
 * What the listener hands over from a signed status callback (POST /twilio-status): the status
 * goes on the message's row, forward only (a repeated or late callback changes nothing). A
 * failure that is new also becomes a durable 'delivery_failure' job in the same transaction,
 * so the fallback template or the admin alert happens once, after the 200, and survives a crash.
 * A SID rolplay did not send (another app on the account, a message recorded elsewhere) is
 * acknowledged and ignored.
 */
export async function receiveDeliveryStatus(
  services: Pick<Services, 'store' | 'clock' | 'config' | 'queue' | 'logger'>,
  params: Record<string, string>,
): Promise<StatusCallbackResult> {
  const sid = params.MessageSid ?? params.SmsSid ?? '';
  if (!SID.test(sid)) return { status: 'invalid', problem: 'MessageSid is missing or malformed' };
  const status = (params.MessageStatus ?? params.SmsStatus ?? '').trim().toLowerCase();
  if (!isDeliveryStatus(status)) return { status: 'invalid', problem: 'MessageStatus is missing or not a Twilio message status' };
  const rawCode = (params.ErrorCode ?? '').trim();
  if (rawCode !== '' && !/^\d{1,9}$/.test(rawCode)) return { status: 'invalid', problem: 'ErrorCode is not a number' };
  const account = services.config.twilio.accountSid;
  if (account !== '' && params.AccountSid !== undefined && params.AccountSid !== account) {
    return { status: 'invalid', problem: 'AccountSid does not match twilio.accountSid' };
  }
  // Twilio sends ErrorCode 0 or nothing when there is no error.
  const errorCode = rawCode === '' || Number(rawCode) === 0 ? null : Number(rawCode);
  const failure = isDeliveryFailure(status);
  const now = services.clock.now();

  const outcome = await inTransaction(services, async ({ store, queue }) => {
    const update = await store.messages.recordDelivery({ sid, status, errorCode: failure ? errorCode : null }, now);
    if (update === 'updated' && failure) await queue.enqueue(deliveryFailureRequest(sid));
    return update;
  });
  if (outcome === 'unknown') {
    services.logger.debug({ sid, status }, 'status callback for a message rolplay did not record; ignored');
    return { status: 'unknown' };
  }
  if (outcome === 'unchanged') return { status: 'unchanged' };
  if (failure) {
    services.logger.info({ sid, status, errorCode, job: DELIVERY_FAILURE.name }, 'Twilio reports an outgoing WhatsApp message was not delivered');
  }
  return { status: 'recorded', failure };
}
