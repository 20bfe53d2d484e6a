import { confirmationText, truncate } from '../../domain/follow-up-text.js';
import type { Outcome } from '../../domain/outcome.js';
import { tellSalesperson, type FollowUpContext } from './follow-up-context.js';
import { takeNextQueuedQuestion } from './send-reminder.js';
import { inTransaction } from '../jobs/in-transaction.js';
import { SEND_NUDGE } from '../jobs/job-kinds.js';
import type { Services } from '../services.js';
import { messagesFor, type CrmProblem } from '../../domain/messages/index.js';

export interface CompletionResult {
  /** Who the note was logged for, e.g. ["Ann Lee (Acme)"]; empty when nothing reached the CRM. */
  loggedFor: string[];
  tasks: number;
  noteId?: string;
  /** What the salesperson should know about the CRM side (not configured, refused, no contact), told in their language. */
  problem?: CrmProblem;
}

/**
 * The last step of the follow-up: the salesperson gets a confirmation of what was logged (plus
 * the next held-back question, if any), the meeting becomes completed with the time stamped, and
 * its nudge is cancelled. The confirmation is queued before the status changes, so a crash in
 * between is finished by the retry instead of leaving a completed meeting nobody heard about.
 */
export async function completeMeeting(services: Services, fu: FollowUpContext, outcome: Outcome, result: CompletionResult): Promise<boolean> {
  const { meeting } = fu;
  const confirmKey = `outcome:${meeting.id}`;
  // Taking the next held-back question and queueing the confirmation that asks it commit
  // together, so a crash in between cannot mark a question asked that nobody asked.
  await inTransaction(services, async (tx) => {
    if (await tx.store.jobs.byDedupeKey(confirmKey)) return;
    const m = messagesFor(fu.user.language);
    const next = await takeNextQueuedQuestion(tx, fu.user.id);
    const text = confirmationText({ title: meeting.title, outcome, loggedFor: result.loggedFor, tasks: result.tasks, problem: result.problem && m.followUp.problem(result.problem), next }, m);
    // A spoken outcome: first what was understood, so a mishearing is caught before it stays in the CRM.
    const heard = outcome.voice ? `${m.voice.heard(truncate(outcome.reply, 500))}

` : '';
    await tellSalesperson(tx, fu, 'outcome', heard + text, confirmKey);
  });
  const now = services.clock.now();
  const done = await services.store.meetings.transition(meeting.id, ['reminder_sent'], 'completed', now, {
    completed_at: now,
    outcome_json: JSON.stringify(outcome),
    ...(result.noteId ? { hubspot_note_id: result.noteId } : {}),
  });
  await services.store.jobs.cancelForMeeting(meeting.id, now, [SEND_NUDGE.name]);
  return done !== undefined;
}
