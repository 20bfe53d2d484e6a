import type { JobHandler } from '../../daemon/job-runner.js';
import { createLogOutcomeHandler } from './log-outcome.js';
import { LOG_HUBSPOT_NOTE, RECORD_OUTCOME, createRecordOutcomeHandler } from './record-outcome.js';
import { SEND_REMINDER } from './schedule-follow-up.js';
import { SEND_NUDGE, createSendNudgeHandler, createSendReminderHandler } from './send-reminder.js';
import type { Services } from '../services.js';

/**
 * The follow-up's job kinds, all with payload {meetingId}:
 * - send_reminder     at meeting end + schedule.reminderDelayMinutes (dedupe send_reminder:<id>)
 * - send_nudge        schedule.nudgeAfterHours after the reminder, if still unanswered
 * - record_outcome    after the salesperson's reply: structure it, store it
 * - log_hubspot_note  the note (and tasks) in HubSpot, then completion; only with HubSpot configured,
 *                     so its jobs wait instead of failing while hubspot.accessToken is unset
 */
export function registerFollowUpHandlers(services: Services, handlers: Record<string, JobHandler>): void {
  handlers[SEND_REMINDER] = createSendReminderHandler(services);
  handlers[SEND_NUDGE] = createSendNudgeHandler(services);
  handlers[RECORD_OUTCOME] = createRecordOutcomeHandler(services);
  if (services.crm) handlers[LOG_HUBSPOT_NOTE] = createLogOutcomeHandler(services);
}
