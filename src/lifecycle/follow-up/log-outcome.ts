import { ProviderError, TransientError, errorMessage, isRetryable } from '../../support/errors.js';
import { noteBody, noteMarker, taskBody, taskMarker } from '../../domain/follow-up-text.js';
import { doneOutcome, readOutcome, type Outcome } from '../../domain/outcome.js';
import type { Crm } from '../../clients/hubspot/crm.js';
import { defineJob, type JobContext } from '../jobs/job-contract.js';
import { LOG_HUBSPOT_NOTE } from '../jobs/job-kinds.js';
import { alertAdmin } from '../whatsapp/alert-admin.js';
import { completeMeeting, type CompletionResult } from './complete-meeting.js';
import { loadFollowUp, type FollowUpContext } from './follow-up-context.js';
import { resolveCrmContacts } from '../coaching/resolve-crm-contacts.js';
import type { Services } from '../services.js';
import { CATALOGUES, type CrmProblem } from '../../domain/messages/index.js';

interface Progress {
  noteId?: string;
  /** A create was sent and its answer lost: look for the record before creating again. */
  creatingNote?: boolean;
  creatingTask?: number;
  tasks: Record<string, string>;
  labels?: string[];
  contactId?: string;
}

/**
 * 'log_hubspot_note' {meetingId}: one note per meeting on every client contact (type 202) and
 * their companies (190), timestamped at the meeting start, optionally a task per dated next step,
 * then completion. Never a second note: progress is saved before and after each create, the
 * note id is stored on the meeting, and after an unanswered create the note is searched for by
 * the marker embedded in its body. A permanent HubSpot refusal (token, scope) completes the
 * meeting with the outcome stored, tells the salesperson, and the admin once a day per problem.
 */
export const logOutcomeJob = defineJob(LOG_HUBSPOT_NOTE, (services) => {
  const crm = services.crm;
  // Without HubSpot the crm lane is not claimed: notes wait until hubspot.accessToken is set.
  if (!crm) return undefined;
  return async (ctx) => {
    const fu = await loadFollowUp(services, ctx.payload.meetingId);
    if (!fu) return { skipped: 'meeting or salesperson no longer exists' };
    if (fu.meeting.status !== 'reminder_sent') return { skipped: fu.meeting.status };
    const outcome = readOutcome(fu.meeting.outcome_json, fu.meeting.last_reply) ?? doneOutcome('');
    const progress = readProgress(ctx.progress);
    let result: CompletionResult;
    try {
      result = await logToCrm(services, crm, fu, outcome, progress, ctx);
    } catch (error) {
      if (isRetryable(error) && ctx.attempt < ctx.job.max_attempts) throw error;
      ctx.logger.error({ err: errorMessage(error), meeting: fu.meeting.id }, 'giving up on logging the outcome to HubSpot');
      await reportCrmProblem(services, error);
      result = { loggedFor: progress.noteId ? progress.labels ?? [] : [], tasks: Object.keys(progress.tasks).length, noteId: progress.noteId, problem: problemForSalesperson(error, !!progress.noteId) };
    }
    await completeMeeting(services, fu, outcome, result);
    // The job's result is for the operator (meetings show, logs): in English.
    return { noteId: result.noteId ?? null, tasks: result.tasks, problem: result.problem ? CATALOGUES.en.followUp.problem(result.problem) : null };
  };
});

async function logToCrm(services: Services, crm: Crm, fu: FollowUpContext, outcome: Outcome, progress: Progress, ctx: JobContext<{ meetingId: number }>): Promise<CompletionResult> {
  const { meeting } = fu;
  const save = async () => {
    if (!(await ctx.saveProgress(progress))) throw new TransientError('lost the job lease while logging to HubSpot');
  };
  const resolved = await resolveCrmContacts(services, crm, fu.clients);
  const noContact = (noteLogged: boolean): CrmProblem | undefined => (resolved.missing.length > 0
    ? { kind: 'noContact', missing: resolved.missing, canCreate: services.config.hubspot.createMissingContacts, noteLogged }
    : undefined);
  if (resolved.contactIds.length === 0) {
    return { loggedFor: [], tasks: 0, problem: fu.clients.some((c) => c.email) ? noContact(false) : { kind: 'noClientEmail' } };
  }
  progress.labels = resolved.labels;
  progress.contactId ??= resolved.contactIds[0];
  const marker = noteMarker(meeting.id);
  const searchLagMs = services.config.hubspot.searchLagSeconds * 1000;

  let noteId = meeting.hubspot_note_id ?? progress.noteId;
  if (!noteId && progress.creatingNote) {
    noteId = (await crm.findNotesByMarker({ marker, contactId: progress.contactId! }))[0];
    if (noteId) ctx.logger.info({ noteId }, 'found the note an earlier, unanswered attempt created');
  }
  if (!noteId) {
    progress.creatingNote = true;
    await save();
    const body = noteBody({
      meetingId: meeting.id, title: meeting.title, startAt: meeting.start_at, endAt: meeting.end_at, timeZone: fu.user.timezone,
      outcome, planSummary: planSummaryOf(meeting.plan_json), salesperson: fu.user.name,
    });
    noteId = (await createOnce(() => crm.createNote({ body, timestamp: meeting.start_at, contactIds: resolved.contactIds, companyIds: resolved.companyIds }), progress, 'creatingNote', save, searchLagMs)).id;
  }
  progress.noteId = noteId;
  progress.creatingNote = false;
  await save();
  await services.store.followUp.saveNoteId(meeting.id, noteId, services.clock.now());

  if (services.config.hubspot.createTasks) {
    for (const [index, step] of outcome.nextSteps.entries()) {
      if (!step.due || progress.tasks[index]) continue;
      const stepMarker = taskMarker(meeting.id, index);
      let taskId = progress.creatingTask === index ? (await crm.findTasksByMarker({ marker: stepMarker, contactId: progress.contactId! }))[0] : undefined;
      if (!taskId) {
        progress.creatingTask = index;
        await save();
        taskId = (await createOnce(() => crm.createTask({
          subject: step.action, body: taskBody({ meetingId: meeting.id, stepIndex: index, action: step.action, title: meeting.title, client: fu.client }),
          dueAt: Date.parse(`${step.due}T12:00:00Z`), contactIds: resolved.contactIds, companyIds: resolved.companyIds,
        }), progress, 'creatingTask', save, searchLagMs)).id;
      }
      progress.tasks[index] = taskId;
      progress.creatingTask = undefined;
      await save();
    }
  }
  return { loggedFor: resolved.labels, tasks: Object.keys(progress.tasks).length, noteId, problem: noContact(true) };
}

/** Runs a create; keeps the "in flight" mark only when the call may have gone through. */
/** HubSpot's search lags behind writes: after a lost answer, wait hubspot.searchLagSeconds before looking. */
async function createOnce<T>(create: () => Promise<T>, progress: Progress, mark: 'creatingNote' | 'creatingTask', save: () => Promise<void>, searchLagMs: number): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof ProviderError && error.ambiguous) {
      throw new TransientError(`${error.message} (it may have been created: looking for it before trying again)`, { cause: error, retryAfterMs: Math.max(searchLagMs, error.retryAfterMs ?? 0) });
    }
    progress[mark] = undefined;
    await save();
    throw error;
  }
}

async function reportCrmProblem(services: Services, error: unknown): Promise<void> {
  const day = new Date(services.clock.now()).toISOString().slice(0, 10);
  const kind = error instanceof ProviderError ? `${error.status ?? 'network'}-${error.providerCode ?? ''}` : 'error';
  await alertAdmin(services, `hubspot-${kind}-${day}`, `HubSpot: ${errorMessage(error)}`);
}

function problemForSalesperson(error: unknown, noteLogged: boolean): CrmProblem {
  const status = error instanceof ProviderError ? error.status : undefined;
  const why = status === 401 ? 'token' : status === 403 ? 'permission' : status === 429 ? 'limit' : 'unreachable';
  return { kind: 'failed', why, noteLogged };
}

function planSummaryOf(planJson: string | null): string | null {
  if (!planJson) return null;
  try {
    const summary = (JSON.parse(planJson) as { summary?: unknown } | null)?.summary;
    return typeof summary === 'string' && summary.trim() !== '' ? summary.trim().slice(0, 2000) : null;
  } catch {
    return null;
  }
}

function readProgress(value: unknown): Progress {
  const p = (value && typeof value === 'object' ? value : {}) as Partial<Progress>;
  return {
    noteId: typeof p.noteId === 'string' ? p.noteId : undefined,
    creatingNote: p.creatingNote === true,
    creatingTask: typeof p.creatingTask === 'number' ? p.creatingTask : undefined,
    tasks: p.tasks && typeof p.tasks === 'object' ? { ...p.tasks } : {},
    labels: Array.isArray(p.labels) ? p.labels.filter((l): l is string => typeof l === 'string') : undefined,
    contactId: typeof p.contactId === 'string' ? p.contactId : undefined,
  };
}
