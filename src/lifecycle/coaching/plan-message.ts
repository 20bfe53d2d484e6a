import type { Plan } from '../../domain/plan.js';
import { firstName } from '../../domain/plan-prompt.js';
import { formatPlan } from '../../domain/format-plan.js';
import { clientNames, type MeetingBrief } from '../../domain/meeting-brief.js';
import { messagesFor } from '../../domain/messages/index.js';
import { meetingTime } from '../../domain/messages/intl-text.js';
import type { MeetingRow, UserRow } from '../../store/database.js';

/**
 * The plan as its salesperson reads it (their language, their time zone), with the variables of
 * twilio.templates.plan: {{1}} first name, {{2}} title, {{3}} when, {{4}} clients.
 */
export function planMessage(plan: Plan, meeting: Pick<MeetingRow, 'title' | 'start_at' | 'end_at'>, user: Pick<UserRow, 'name' | 'language'>, brief: Pick<MeetingBrief, 'timeZone' | 'clients'>) {
  const m = messagesFor(user.language);
  const when = meetingTime(m.locale, meeting.start_at, meeting.end_at, brief.timeZone);
  return {
    text: formatPlan(plan, { title: meeting.title, when }, m),
    variables: { 1: firstName(user.name), 2: meeting.title, 3: when, 4: clientNames(brief.clients, m.general.yourClient) },
  };
}
