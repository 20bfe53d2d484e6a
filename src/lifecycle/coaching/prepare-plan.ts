import { TransientError } from '../../support/errors.js';
import { readPlan, type Plan } from '../../domain/plan.js';
import { planMessage } from './plan-message.js';
import type { Config } from '../../config/schema.js';
import type { MeetingRow } from '../../store/database.js';
import type { LanguageModel } from '../../clients/gemini/language-model.js';
import { defineJob, type JobContext } from '../jobs/job-contract.js';
import { jobRequest, type JobRequest } from '../jobs/job-kind.js';
import { PREPARE_PLAN } from '../jobs/job-kinds.js';
import type { Services } from '../services.js';
import { crmContextReader, loadMeetingBrief } from './load-meeting-brief.js';
import { sendBusinessMessage } from '../whatsapp/business-message.js';
import { generatePlan } from './generate-plan.js';

/**
 * When the plan should go out: as soon as the meeting is seen (schedule.planLeadHours = 0),
 * or N hours before it starts, or at once when that moment has passed.
 */
export function planDueAt(startAt: number, planLeadHours: number, now: number): number {
  if (planLeadHours <= 0) return now;
  return Math.max(now, startAt - planLeadHours * 3_600_000);
}

/** How long after the previous occurrence of a series ends its next plan waits for the outcome. */
export const SERIES_PLAN_WAIT_MS = 2 * 3_600_000;

/**
 * The job the calendar ingest enqueues for a new meeting (moved with the meeting when it
 * changes). The plan of an occurrence whose previous occurrence is still open waits until two
 * hours after that one ends (at the latest an hour before its own start), so it can build on
 * what the salesperson reported, instead of a week's plans all arriving at once.
 */
export function planJobRequest(meeting: Pick<MeetingRow, 'id' | 'start_at'>, config: Config, now: number, previous?: Pick<MeetingRow, 'end_at' | 'status'>): JobRequest<{ meetingId: number }> & { runAt: number } {
  let runAt = planDueAt(meeting.start_at, config.schedule.planLeadHours, now);
  if (previous && previous.status !== 'completed' && previous.status !== 'cancelled') {
    runAt = Math.max(runAt, Math.min(Number(previous.end_at) + SERIES_PLAN_WAIT_MS, meeting.start_at - 3_600_000));
  }
  return { ...jobRequest(PREPARE_PLAN, { meetingId: meeting.id }, { dedupeKey: `plan:${meeting.id}`, meetingId: meeting.id }), runAt };
}

/**
 * The 'prepare_plan' job: context -> Gemini (structured, validated; one more try on invalid
 * output) -> meetings.plan_json -> WhatsApp (durable send) -> status plan_sent. A model that
 * keeps failing makes the job retry later with backoff; after the last attempt the runner
 * tells the admin. A plan Gemini blocks is tried once rephrased, then the job fails for good
 * (the runner tells the admin once; `doctor` counts it). No generic plan is ever sent in place
 * of a real one.
 */
export function createPreparePlanHandler(services: Services & { model: LanguageModel }) {
  const readCrm = crmContextReader(services);
  return async (ctx: JobContext<{ meetingId: number }>): Promise<unknown> => {
    const meeting = await services.store.meetings.byId(ctx.payload.meetingId);
    if (!meeting) return { skipped: 'meeting not found' };
    if (meeting.status !== 'scheduled') return { skipped: `meeting is ${meeting.status}` };
    if (meeting.user_id === null) return { skipped: 'no registered salesperson' };
    const now = services.clock.now();
    if (now >= meeting.end_at) return { skipped: 'meeting already over' };
    const due = planDueAt(meeting.start_at, services.config.schedule.planLeadHours, meeting.created_at);
    if (now < due - 1000) {
      // Enqueued without planJobRequest's run time: come back when the plan is due.
      throw new TransientError(`plan for meeting ${meeting.id} is due at ${new Date(due).toISOString()}`, { retryAfterMs: due - now, deferral: true });
    }
    const user = await services.store.users.byId(meeting.user_id);
    if (!user) return { skipped: 'salesperson removed' };

    const brief = await loadMeetingBrief(services, meeting, user, readCrm);
    // A plan stored by an earlier attempt (that died before sending) is reused, not regenerated.
    let plan: Plan | undefined = readPlan(meeting.plan_json);
    if (!plan) {
      // A block of the full prompt is remembered on the job, so a retry (after a 429, say) goes
      // straight to the rephrased prompt: a blocked plan costs at most two blocked requests.
      const progress = (ctx.progress ?? {}) as { fullPromptBlocked?: string };
      plan = await generatePlan(services.model, brief, meeting.id, ctx.logger, {
        fullPromptBlocked: progress.fullPromptBlocked,
        onFullPromptBlocked: (why) => ctx.saveProgress({ fullPromptBlocked: why }),
      });
      await services.store.meetings.update(meeting.id, { plan_json: JSON.stringify(plan), updated_at: services.clock.now() });
    }
    const sentAs = await sendBusinessMessage(services, {
      user,
      meetingId: meeting.id,
      kind: 'plan',
      ...planMessage(plan, meeting, user, brief),
      dedupeKey: `plan-message:${meeting.id}`,
    });
    const moved = await services.store.meetings.transition(meeting.id, ['scheduled'], 'plan_sent', services.clock.now());
    if (!moved) ctx.logger.warn({ meeting: meeting.id }, 'meeting changed state while its plan was prepared');
    ctx.logger.info({ meeting: meeting.id, sentAs, crmContexts: brief.crm.length }, 'coaching plan queued for WhatsApp');
    return { sentAs, status: moved ? 'plan_sent' : 'unchanged' };
  };
}

/** Without Gemini the plans lane is not claimed: plans wait until gemini.apiKey is set. */
export const preparePlanJob = defineJob(PREPARE_PLAN, (services) => {
  const model = services.model;
  return model ? createPreparePlanHandler({ ...services, model }) : undefined;
});
