import { TransientError } from '../../support/errors.js';
import { lateReminderText, nudgeText, reminderText } from '../../domain/follow-up-text.js';
import { defineJob } from '../jobs/job-contract.js';
import { jobRequest } from '../jobs/job-kind.js';
import { SEND_NUDGE, SEND_REMINDER } from '../jobs/job-kinds.js';
import { loadFollowUp, tellSalesperson } from './follow-up-context.js';
import { reminderDueAt } from './schedule-follow-up.js';
import type { Services } from '../services.js';
import { messagesFor } from '../../domain/messages/index.js';

/** The dedupe key of a meeting's reminder message (its template fallback adds ":template"). */
export function reminderSendKey(meetingId: number): string {
  return `reminder:${meetingId}`;
}

/** A reminder this far past its time (the daemon was down) says when the meeting was. */
export const LATE_AFTER_MS = 30 * 60_000;

/**
 * 'send_reminder' {meetingId}: asks the salesperson how the meeting went, moves the meeting to
 * reminder_sent (compare-and-set, so two workers cannot both send) and schedules one nudge.
 * A late reminder is worded for its lateness; if the salesperson already has an open question,
 * a late one waits its turn instead of arriving in a burst (asked when the open one is answered).
 */
export const sendReminderJob = defineJob(SEND_REMINDER, (services) => async ({ payload, logger }) => {
    const fu = await loadFollowUp(services, payload.meetingId);
    if (!fu) return { skipped: 'meeting or salesperson no longer exists' };
    const { meeting, user } = fu;
    if (meeting.status !== 'scheduled' && meeting.status !== 'plan_sent' && meeting.status !== 'reminder_sent') return { skipped: meeting.status };
    const now = services.clock.now();
    const due = reminderDueAt(services, meeting);
    if (meeting.status !== 'reminder_sent' && due - now > 1000) {
      // The meeting was moved later while this job was already running: come back when due.
      throw new TransientError(`meeting ${meeting.id} now ends later; reminder postponed`, { retryAfterMs: due - now, deferral: true });
    }
    const late = now - due > LATE_AFTER_MS;
    if (meeting.status !== 'reminder_sent') {
      const started = await services.store.followUp.startQuestion(meeting.id, user.id, now, late);
      if (!started) return { skipped: 'status changed meanwhile' };
      if (started === 'queued') {
        logger.info({ meeting: meeting.id }, 'late reminder held back behind an open question');
        return { queued: true };
      }
    } else if (meeting.reminded_at === null) {
      return { queued: true };
    }
    const m = messagesFor(user.language);
    const text = late ? lateReminderText(meeting.title, fu.client, meeting.end_at, user.timezone, m) : reminderText(meeting.title, fu.client, m);
    await tellSalesperson(services, fu, 'reminder', text, reminderSendKey(meeting.id));
    await scheduleNudge(services, meeting.id, now);
    return { sent: true, late };
});

/** 'send_nudge' {meetingId}: one reminder of the reminder, only while no answer came. */
export const sendNudgeJob = defineJob(SEND_NUDGE, (services) => async ({ payload }) => {
    const fu = await loadFollowUp(services, payload.meetingId);
    if (!fu) return { skipped: 'meeting or salesperson no longer exists' };
    const { meeting } = fu;
    if (meeting.status !== 'reminder_sent' || meeting.last_reply !== null || meeting.reminded_at === null) return { skipped: 'answered or closed' };
    await tellSalesperson(services, fu, 'nudge', nudgeText(meeting.title, fu.client, messagesFor(fu.user.language)), `nudge:${meeting.id}`);
    // A reply now answers this meeting, even if another reminder went out after it.
    await services.store.followUp.markAsked(meeting.id, services.clock.now());
    return { sent: true };
});

export async function scheduleNudge(services: Pick<Services, 'config' | 'queue'>, meetingId: number, from: number): Promise<void> {
  const hours = services.config.schedule.nudgeAfterHours;
  if (hours <= 0) return;
  await services.queue.enqueue(jobRequest(SEND_NUDGE, { meetingId }, { runAt: from + Math.round(hours * 3_600_000), dedupeKey: `${SEND_NUDGE.name}:${meetingId}`, meetingId }));
}

/**
 * After an answer: the next held-back late question for this salesperson, marked as asked and
 * with its nudge scheduled; the caller appends the text to its confirmation.
 */
export async function takeNextQueuedQuestion(services: Services, userId: number): Promise<string | undefined> {
  const now = services.clock.now();
  for (const meeting of await services.store.followUp.queuedQuestions(userId)) {
    if (!(await services.store.followUp.markAsked(meeting.id, now, true))) continue;
    const fu = await loadFollowUp(services, meeting.id);
    if (!fu) continue;
    await scheduleNudge(services, meeting.id, now);
    const m = messagesFor(fu.user.language);
    return m.followUp.next({ question: lateReminderText(meeting.title, fu.client, meeting.end_at, fu.user.timezone, m) });
  }
  return undefined;
}
