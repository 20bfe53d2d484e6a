import { messagesFor } from '../../domain/messages/index.js';
import { meetingTime } from '../../domain/messages/intl-text.js';
import type { MeetingRow, MeetingStatus } from '../../store/database.js';
import { sendWhatsAppRequest } from '../whatsapp/send-request.js';
import { payloadIf } from '../jobs/job-payload.js';
import { SEND_WHATSAPP } from '../jobs/job-kinds.js';
import type { Services } from '../services.js';

const OPEN: MeetingStatus[] = ['scheduled', 'plan_sent', 'reminder_sent', 'completed'];

/**
 * The calendar says the meeting is off (cancelled by the organizer, deleted, declined): the
 * meeting becomes `cancelled` (remembering the state it left), its pending jobs are cancelled,
 * and a salesperson who already got the plan is told on WhatsApp. Returns false when there was
 * nothing to do (already cancelled, or already over: deleting a past event changes nothing).
 */
export async function cancelMeeting(services: Pick<Services, 'clock' | 'store' | 'queue' | 'logger'>, meeting: MeetingRow, reason: string): Promise<boolean> {
  const { store, clock, logger } = services;
  const now = clock.now();
  if (meeting.status === 'cancelled') return false;
  if (meeting.end_at <= now) {
    logger.debug({ meeting: meeting.id, event: meeting.event_id, reason }, 'calendar removed a meeting that is already over; kept as it was');
    return false;
  }
  const jobs = await store.jobs.forMeeting(meeting.id);
  const cancelled = await store.meetings.transition(meeting.id, OPEN, 'cancelled', now, { cancelled_from: meeting.status, cancelled_at: now });
  if (!cancelled) return false;
  const stopped = await store.jobs.cancelForMeeting(meeting.id, now);
  const told = planDelivered(meeting, jobs) && meeting.user_id !== null ? await tellSalesperson(services, cancelled, now) : false;
  logger.info({ meeting: meeting.id, event: meeting.event_id, reason, jobsCancelled: stopped, salespersonTold: told }, 'meeting cancelled');
  return true;
}

/** The plan went out (or is going out right now): a cancelled plan send never reached them. */
function planDelivered(meeting: MeetingRow, jobs: Array<{ kind: string; status: string; payload: string }>): boolean {
  if (meeting.status !== 'plan_sent' && meeting.status !== 'reminder_sent') return false;
  const planSends = jobs.filter((j) => payloadIf(SEND_WHATSAPP, j)?.kind === 'plan');
  return planSends.length === 0 || planSends.some((j) => j.status === 'done' || j.status === 'running');
}

async function tellSalesperson(services: Pick<Services, 'store' | 'queue'>, meeting: MeetingRow, now: number): Promise<boolean> {
  const user = meeting.user_id === null ? undefined : await services.store.users.byId(meeting.user_id);
  if (!user) return false;
  const m = messagesFor(user.language);
  const body = m.general.cancelled({ title: meeting.title, when: meetingTime(m.locale, meeting.start_at, meeting.end_at, user.timezone) });
  // One notice per cancellation: a meeting cancelled, restored and cancelled again is told twice.
  await services.queue.enqueue(sendWhatsAppRequest({ to: user.phone, body, kind: 'cancellation', userId: user.id, meetingId: meeting.id }, `meeting_cancelled:${meeting.id}:${now}`));
  return true;
}
