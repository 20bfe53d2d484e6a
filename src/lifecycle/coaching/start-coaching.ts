import type { CalendarEvent } from '../../domain/calendar-event.js';
import type { MeetingRow } from '../../store/database.js';
import { planJobRequest } from './prepare-plan.js';
import { jobRequest } from '../jobs/job-kind.js';
import { ACCEPT_INVITE, PREPARE_PLAN } from '../jobs/job-kinds.js';
import { scheduleFollowUp } from '../follow-up/schedule-follow-up.js';
import type { Services } from '../services.js';

type Deps = Pick<Services, 'config' | 'clock' | 'store' | 'queue'>;

/**
 * The meeting's work, idempotent: the plan job (queued, moved with the meeting, or revived) and
 * the post-meeting reminder at its end; optionally the bot accepts the invitation. Shared by the
 * calendar ingest and `rolplay user add` (which picks up invitations recorded as unmatched).
 */
export async function startCoaching(deps: Deps, meeting: MeetingRow, event: Pick<CalendarEvent, 'id' | 'ownResponse'>, options: { accept?: boolean } = { accept: true }): Promise<void> {
  const { store, queue, config, clock } = deps;
  const now = clock.now();
  if (meeting.status === 'scheduled') {
    const previous = meeting.series_master_id ? await store.meetings.previousInSeries(meeting.series_master_id, meeting.start_at) : undefined;
    const request = planJobRequest(meeting, config, now, previous);
    const { job, created } = await queue.enqueue(request);
    if (!created && job.status === 'pending' && Number(job.run_at) !== request.runAt) await store.jobs.rescheduleForMeeting(meeting.id, PREPARE_PLAN.name, request.runAt!, now);
    if (!created && job.status === 'cancelled') await store.jobs.reviveForMeeting(meeting.id, PREPARE_PLAN.name, request.runAt!, now);
    if (!created) queue.wake();
  }
  await scheduleFollowUp(deps, meeting);
  if (options.accept && config.microsoft.acceptInvites && event.ownResponse?.toLowerCase() !== 'accepted') {
    // Accepting the series master accepts every occurrence: one request per series, not per meeting.
    const eventId = meeting.series_master_id ?? event.id;
    await queue.enqueue(jobRequest(ACCEPT_INVITE, { eventId, meetingId: meeting.id }, { dedupeKey: `${ACCEPT_INVITE.name}:${eventId}`, meetingId: meeting.id }));
  }
}
