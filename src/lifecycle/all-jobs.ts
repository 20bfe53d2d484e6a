import type { AnyJobDefinition, RunnableJob } from './jobs/job-contract.js';
import type { Services } from './services.js';
import { sendWhatsAppJob } from './whatsapp/send-whatsapp.js';
import { adminAlertJob } from './whatsapp/alert-admin.js';
import { deliveryFailureJob } from './whatsapp/handle-delivery-failure.js';
import { handleInboundJob } from './whatsapp/handle-inbound.js';
import { preparePlanJob } from './coaching/prepare-plan.js';
import { acceptInviteJob } from './calendar/accept-invite.js';
import { sendNudgeJob, sendReminderJob } from './follow-up/send-reminder.js';
import { createOutcomeInterceptor, recordOutcomeJob } from './follow-up/record-outcome.js';
import { logOutcomeJob } from './follow-up/log-outcome.js';
import { sendDigestsJob } from './digest/send-digests.js';

/**
 * Every job rolplay runs, one definition per kind (the kinds and their payloads are listed in
 * jobs/job-kinds.ts). The answer to "how did it go?" is an outcome, not chat: the follow-up
 * sees an inbound message before the conversation does.
 */
export const allJobs: readonly AnyJobDefinition[] = [
  sendWhatsAppJob,
  adminAlertJob,
  deliveryFailureJob,
  handleInboundJob((services) => [createOutcomeInterceptor(services)]),
  preparePlanJob,
  acceptInviteJob,
  sendReminderJob,
  sendNudgeJob,
  recordOutcomeJob,
  logOutcomeJob,
  sendDigestsJob,
];

/** The definitions bound to this process's services: a kind whose service is missing has no handler. */
export function bindJobs(services: Services, definitions: readonly AnyJobDefinition[] = allJobs): RunnableJob[] {
  return definitions.map((d) => ({ kind: d.kind, handle: d.handler(services) }));
}
