import { NotFoundError, UsageError } from '../../support/errors.js';
import type { Plan } from '../../domain/plan.js';
import { planMessage } from './plan-message.js';
import type { Services } from '../services.js';
import { crmContextReader, loadMeetingBrief } from './load-meeting-brief.js';
import { sendBusinessMessage } from '../whatsapp/business-message.js';
import { generatePlan } from './generate-plan.js';

export interface ReplayOptions {
  /** Generate and return the plan; store and send nothing. */
  dryRun?: boolean;
  /** Replay a cancelled meeting too. */
  force?: boolean;
}

export interface ReplayResult {
  meetingId: number;
  salesperson: { name: string; email: string; phone: string };
  plan: Plan;
  /** The WhatsApp text, as the salesperson reads it. */
  text: string;
  sent: boolean;
  /** Free text inside the 24-hour window, or the plan template outside it. */
  sentAs?: 'text' | 'template';
  /** The send job's dedupe key ("plan-replay:<meeting>:<time>"): a replay is never deduped against the first plan. */
  dedupeKey?: string;
}

/**
 * `meetings replay`: writes the plan again from the meeting and CRM context as they are now,
 * stores it, and sends it as a new message (a fresh dedupe key marked "replay"), whatever the
 * meeting's status. The status only moves forward: a scheduled meeting becomes plan_sent.
 */
export async function replayPlan(services: Services, meetingId: number, options: ReplayOptions = {}): Promise<ReplayResult> {
  const { store, clock } = services;
  const meeting = await store.meetings.byId(meetingId);
  if (!meeting) throw new NotFoundError(`no meeting with id ${meetingId} (see \`rolplay meetings list\`)`);
  if (meeting.status === 'cancelled' && !options.force) {
    throw new UsageError(`meeting ${meetingId} "${meeting.title}" is cancelled: pass --force to replay its plan anyway`);
  }
  const user = meeting.user_id === null ? undefined : await store.users.byId(meeting.user_id);
  if (!user) {
    throw new UsageError(`meeting ${meetingId} has no registered salesperson (organizer ${meeting.organizer_email}): register them with \`rolplay user add --email ${meeting.organizer_email} ...\` first`);
  }
  const model = services.model;
  if (!model) throw new UsageError('Gemini is not configured, so no plan can be written: set gemini.apiKey (or GEMINI_API_KEY)');

  const brief = await loadMeetingBrief(services, meeting, user, crmContextReader(services));
  const plan = await generatePlan(model, brief, meeting.id, services.logger);
  const { text, variables } = planMessage(plan, meeting, user, brief);
  const result: ReplayResult = { meetingId, salesperson: { name: user.name, email: user.email, phone: user.phone }, plan, text, sent: false };
  if (options.dryRun) return result;

  const now = clock.now();
  await store.meetings.update(meeting.id, { plan_json: JSON.stringify(plan), updated_at: now });
  const dedupeKey = `plan-replay:${meeting.id}:${now}`;
  const sentAs = await sendBusinessMessage(services, {
    user,
    meetingId: meeting.id,
    kind: 'plan',
    text,
    variables,
    dedupeKey,
  });
  await store.meetings.transition(meeting.id, ['scheduled'], 'plan_sent', clock.now());
  services.logger.info({ meeting: meeting.id, sentAs, dedupeKey }, 'coaching plan replayed');
  return { ...result, sent: true, sentAs, dedupeKey: sentAs === 'template' ? `${dedupeKey}:template` : dedupeKey };
}
