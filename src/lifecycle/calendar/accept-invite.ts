import { ProviderError } from '../../support/errors.js';
import { defineJob } from '../jobs/job-contract.js';
import { ACCEPT_INVITE } from '../jobs/job-kinds.js';

/**
 * The 'accept_invite' job ({eventId, meetingId}; one per event, or per series, by its dedupe key): with
 * microsoft.acceptInvites on, the bot accepts the invitation so the organizer sees that the
 * coach is in. Nothing is accepted for a meeting cancelled meanwhile or an event that is gone.
 */
export const acceptInviteJob = defineJob(ACCEPT_INVITE, (services) => {
  const calendar = services.calendar;
  // Without Graph the calendar lane is not claimed: acceptances wait until it is configured.
  if (!calendar) return undefined;
  return async (ctx) => {
    const { eventId, meetingId } = ctx.payload;
    const meeting = meetingId === undefined ? await services.store.meetings.byEventId(eventId) : await services.store.meetings.byId(meetingId);
    if (!meeting || meeting.status === 'cancelled') return { skipped: 'meeting not tracked or cancelled' };
    try {
      await calendar.acceptEvent(eventId);
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) return { skipped: 'event no longer exists' };
      throw error;
    }
    ctx.logger.info({ meeting: meeting.id }, 'invitation accepted in the bot mailbox');
    return { accepted: true };
  };
});
