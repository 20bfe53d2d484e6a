import { clientLabel } from '../../domain/follow-up-text.js';
import { messagesFor } from '../../domain/messages/index.js';
import { pickTemplate } from '../../config/pick-template.js';
import type { ClientRow, MeetingRow, UserRow } from '../../store/database.js';
import { sendWhatsAppRequest } from '../whatsapp/send-request.js';
import type { SendWhatsAppPayload } from '../jobs/job-kinds.js';
import type { Services } from '../services.js';

/** A meeting with the people around it, as the follow-up steps need it. */
export interface FollowUpContext {
  meeting: MeetingRow;
  user: UserRow;
  clients: ClientRow[];
  /** "Ann Lee", "Ann Lee and Bob Roe", "your client", in the salesperson's language. */
  client: string;
}

export async function loadFollowUp(services: Pick<Services, 'store'>, meetingId: number): Promise<FollowUpContext | undefined> {
  const meeting = await services.store.meetings.byId(meetingId);
  if (!meeting || meeting.user_id === null) return undefined;
  const user = await services.store.users.byId(meeting.user_id);
  if (!user) return undefined;
  const clients = await services.store.clients.forMeeting(meeting.id);
  return { meeting, user, clients, client: clientLabel(clients, messagesFor(user.language)) };
}


/**
 * Queues one WhatsApp message to the salesperson through the durable send job. The dedupe key
 * makes a retried step send nothing twice. With twilio.templates.reminder set, reminders and
 * nudges go out as that approved template ({{1}} title, {{2}} client), since they usually fall
 * outside WhatsApp's 24-hour window.
 */
export async function tellSalesperson(
  services: Pick<Services, 'queue' | 'config'>,
  ctx: Pick<FollowUpContext, 'user' | 'meeting' | 'client'>,
  kind: 'reminder' | 'nudge' | 'outcome',
  body: string,
  dedupeKey: string,
): Promise<void> {
  const templateSid = pickTemplate(services.config, 'reminder', ctx.user.language);
  const payload: SendWhatsAppPayload = { to: ctx.user.phone, kind, userId: ctx.user.id, meetingId: ctx.meeting.id };
  const variables = { 1: templateVar(ctx.meeting.title), 2: templateVar(ctx.client) };
  if (templateSid && kind !== 'outcome') payload.template = { contentSid: templateSid, variables };
  else {
    payload.body = body;
    // Kept for a reminder WhatsApp refuses later (63016): the template can then still go out.
    if (kind === 'reminder') payload.templateVariables = variables;
  }
  await services.queue.enqueue(sendWhatsAppRequest(payload, dedupeKey));
}

/** WhatsApp refuses template variables with newlines, tabs or more than four spaces in a row. */
function templateVar(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/ {4,}/g, '   ').trim().slice(0, 200) || '-';
}
