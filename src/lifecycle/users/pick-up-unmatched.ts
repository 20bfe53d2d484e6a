import type { MeetingRow, UserRow } from '../../store/database.js';
import { inTransaction } from '../jobs/in-transaction.js';
import { ADMIN_ALERT } from '../jobs/job-kinds.js';
import type { Services } from '../services.js';
import { startCoaching } from '../coaching/start-coaching.js';

type Deps = Pick<Services, 'config' | 'clock' | 'store' | 'queue' | 'logger'>;

/**
 * Coaches the invitations `user` sent before registering: each meeting recorded as unmatched
 * from their address (any case) that has not ended and is not cancelled is matched to them and
 * gets the plan job and reminder a newly matched meeting gets at ingest. One transaction, so a
 * meeting is never matched without its jobs; each is claimed by compare-and-set, so a daemon
 * matching the same meeting meanwhile is not doubled (the jobs' dedupe keys also see to that).
 * A daemon's job runner finds the new jobs on its next idle sweep.
 */
export async function pickUpUnmatchedMeetings(deps: Deps, user: UserRow): Promise<MeetingRow[]> {
  const picked = await inTransaction(deps, async (tx) => {
    const { store: txStore, clock } = tx;
    const now = clock.now();
    const out: MeetingRow[] = [];
    for (const candidate of await txStore.meetings.unmatchedOpenFrom(user.email, now)) {
      const meeting = await txStore.meetings.claimUnmatched(candidate.id, user.id, now);
      if (!meeting) continue;
      // An imported meeting has no Outlook event for the bot to accept.
      await startCoaching(tx, meeting, { id: meeting.event_id, ownResponse: null }, { accept: meeting.source === 'graph' });
      // The admin's "not coached" alert, when still waiting to go out, is no longer true.
      await txStore.jobs.cancelForMeeting(meeting.id, now, [ADMIN_ALERT.name]);
      out.push(meeting);
    }
    return out;
  });
  for (const m of picked) deps.logger.info({ meeting: m.id, user: user.id }, 'invitation recorded as unmatched is now coached (organizer registered)');
  return picked;
}
