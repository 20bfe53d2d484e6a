import type { MeetingRow } from '../../store/database.js';
import type { Services } from '../services.js';
import { jobRequest } from '../jobs/job-kind.js';
import { SEND_REMINDER } from '../jobs/job-kinds.js';

export function reminderDedupeKey(meetingId: number): string {
  return `${SEND_REMINDER.name}:${meetingId}`;
}

/** When the post-meeting reminder is due: the meeting's end plus schedule.reminderDelayMinutes. */
export function reminderDueAt(services: Pick<Services, 'config'>, meeting: Pick<MeetingRow, 'end_at'>): number {
  return meeting.end_at + Math.round(services.config.schedule.reminderDelayMinutes * 60_000);
}

export type ScheduleResult = 'scheduled' | 'moved' | 'unchanged' | 'skipped';

/**
 * Makes sure the meeting has its 'send_reminder' job at end + reminderDelayMinutes. Safe to call
 * on every ingest of the meeting and after its plan is sent: the dedupe key keeps one job per
 * meeting; a changed end time moves the pending job (or revives a cancelled one), and the
 * runner is woken so a job moved earlier still runs to the second.
 */
export async function scheduleFollowUp(services: Pick<Services, 'config' | 'clock' | 'store' | 'queue'>, meeting: MeetingRow): Promise<ScheduleResult> {
  // Unmatched organizers are not coached; finished or cancelled meetings need no reminder.
  if (meeting.user_id === null || meeting.status === 'cancelled' || meeting.status === 'completed' || meeting.status === 'reminder_sent') return 'skipped';
  const runAt = reminderDueAt(services, meeting);
  const { job, created } = await services.queue.enqueue(jobRequest(SEND_REMINDER, { meetingId: meeting.id }, { runAt, dedupeKey: reminderDedupeKey(meeting.id), meetingId: meeting.id }));
  if (created) return 'scheduled';
  const now = services.clock.now();
  let moved = 0;
  if (job.status === 'pending' && Number(job.run_at) !== runAt) moved = await services.store.jobs.rescheduleForMeeting(meeting.id, SEND_REMINDER.name, runAt, now);
  else if (job.status === 'cancelled') moved = await services.store.jobs.reviveForMeeting(meeting.id, SEND_REMINDER.name, runAt, now);
  if (moved === 0) return 'unchanged';
  services.queue.wake();
  return 'moved';
}
