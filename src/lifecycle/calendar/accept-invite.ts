import type { JobContext, JobHandler } from '../../daemon/job-runner.js';
import type { CalendarSource } from '../../clients/graph/calendar-source.js';
import { ProviderError } from '../../support/errors.js';
import type { Services } from '../services.js';

export { ACCEPT_INVITE } from '../coaching/start-coaching.js';

/**
 * The 'accept_invite' job ({eventId, meetingId}; one per event, or per series, by its dedupe key): with
 * microsoft.acceptInvites on, the bot accepts the invitation so the organizer sees that the
 * coach is in. Nothing is accepted for a meeting cancelled meanwhile or an event that is gone.
 */
export function createAcceptInviteHandler(services: Services & { calendar: CalendarSource }): JobHandler {
  return async (ctx: JobContext) => {
    const eventId = typeof ctx.payload.eventId === 'string' ? ctx.payload.eventId : '';
    if (eventId === '') return { skipped: 'no event id' };
    // A series is accepted through its master (the event id), for the occurrence that asked (meetingId).
    const meetingId = typeof ctx.payload.meetingId === 'number' ? ctx.payload.meetingId : undefined;
    const meeting = meetingId === undefined ? await services.store.meetings.byEventId(eventId) : await services.store.meetings.byId(meetingId);
    if (!meeting || meeting.status === 'cancelled') return { skipped: 'meeting not tracked or cancelled' };
    try {
      await services.calendar.acceptEvent(eventId);
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) return { skipped: 'event no longer exists' };
      throw error;
    }
    ctx.logger.info({ meeting: meeting.id }, 'invitation accepted in the bot mailbox');
    return { accepted: true };
  };
}
