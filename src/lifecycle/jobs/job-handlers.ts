import type { JobHandler } from '../../daemon/job-runner.js';
import type { Services } from '../services.js';
import { createSendWhatsAppHandler } from '../whatsapp/send-whatsapp.js';
import { alertAdmin } from '../whatsapp/alert-admin.js';
import { registerFollowUpHandlers } from '../follow-up/follow-up-handlers.js';
import { registerCoachingHandlers } from '../coaching/coaching-handlers.js';
import { createOutcomeInterceptor } from '../follow-up/record-outcome.js';
import { ACCEPT_INVITE, createAcceptInviteHandler } from '../calendar/accept-invite.js';
import { DELIVERY_FAILURE, createDeliveryFailureHandler } from '../whatsapp/handle-delivery-failure.js';

/**
 * Every job kind this process can run, by name. A kind whose service is not configured is
 * left out: its jobs stay pending (visible in `doctor`) until the service is configured,
 * instead of burning their attempts.
 *
 * Kinds and payloads:
 * - send_whatsapp  SendWhatsAppPayload (send-whatsapp.ts): every outbound WhatsApp message.
 * - admin_alert    {key: string, text: string}: tells admin.whatsapp once per key (alert-admin.ts).
 * - delivery_failure {sid}: a sent message Twilio later reported failed/undelivered (from the
 *   status callback): template fallback for 63016 or an admin alert (handle-delivery-failure.ts).
 * - send_reminder, send_nudge, record_outcome, log_hubspot_note  {meetingId}: the post-meeting
 *   follow-up (follow-up-handlers.ts).
 * - prepare_plan {meetingId}, handle_inbound InboundPayload: coaching (coaching-handlers.ts);
 *   an inbound reply to "how did it go?" goes to the follow-up first.
 * - accept_invite  {eventId, meetingId}: the bot accepts the invitation (microsoft.acceptInvites;
 *   accept-invite.ts). Needs the Graph client.
 */
export function buildJobHandlers(services: Services): Record<string, JobHandler> {
  const handlers: Record<string, JobHandler> = {
    admin_alert: async ({ payload }) => {
      await alertAdmin(services, String(payload.key ?? 'alert'), String(payload.text ?? ''));
    },
  };
  if (services.messenger) handlers.send_whatsapp = createSendWhatsAppHandler(services);
  handlers[DELIVERY_FAILURE] = createDeliveryFailureHandler(services);
  const calendar = services.calendar;
  if (calendar) handlers[ACCEPT_INVITE] = createAcceptInviteHandler({ ...services, calendar });
  registerFollowUpHandlers(services, handlers);
  // The answer to "how did it go?" is an outcome, not chat: the follow-up sees inbound text first.
  registerCoachingHandlers(services, handlers, { interceptors: [createOutcomeInterceptor(services)] });
  return handlers;
}
