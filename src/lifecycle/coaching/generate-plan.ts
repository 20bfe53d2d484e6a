import { ModelBlockedError, type LanguageModel } from '../../clients/gemini/language-model.js';
import { PLAN_RESPONSE_SCHEMA, parsePlan, type Plan } from '../../domain/plan.js';
import { buildPlanPrompt, buildRephrasedPlanPrompt } from '../../domain/plan-prompt.js';
import type { MeetingBrief } from '../../domain/meeting-brief.js';
import { ProviderError } from '../../support/errors.js';
import type { Logger } from '../../support/logger.js';
import { generateValidated } from './generate-validated.js';

/** Starts the message of a plan Gemini blocked twice: `rolplay doctor` counts failed jobs by it. */
export const PLAN_BLOCKED_MARK = 'plan blocked by Gemini twice';

/** Gemini refused the full prompt and the rephrased one: final (no retry), no plan is sent. */
export class PlanBlockedError extends ProviderError {
  constructor(first: string, second: string, meetingId: number) {
    super(`${PLAN_BLOCKED_MARK}: the full prompt (${first}), then one without the invitation text and CRM notes (${second}); no plan was sent for meeting ${meetingId}. Check its title and client details (\`rolplay meetings show ${meetingId}\`), then \`rolplay meetings replay ${meetingId}\` to try again`, {
      provider: 'gemini', retryable: false, code: 'GEMINI_BLOCKED', providerCode: second,
    });
  }
}

export interface PlanAttempts {
  /** Why the full prompt was blocked on an earlier attempt of the job: go straight to the rephrased one. */
  fullPromptBlocked?: string;
  /** Called once when the full prompt is blocked, so a retried job does not send it again. */
  onFullPromptBlocked?: (why: string) => Promise<unknown>;
}

/**
 * The plan from the brief: the full prompt, and when Gemini blocks it, one rephrased prompt
 * without the free text (a block is final, so the same prompt is never sent again). A second
 * block is a PlanBlockedError. Invalid output gets one more try each (generateValidated).
 */
export async function generatePlan(model: LanguageModel, brief: MeetingBrief, meetingId: number, logger: Logger, attempts: PlanAttempts = {}): Promise<Plan> {
  let first = attempts.fullPromptBlocked;
  if (first === undefined) {
    try {
      return await generateValidated(model, { ...buildPlanPrompt(brief), schema: PLAN_RESPONSE_SCHEMA, validate: parsePlan }, logger, 'plan');
    } catch (error) {
      if (!(error instanceof ModelBlockedError)) throw error;
      first = why(error);
      await attempts.onFullPromptBlocked?.(first);
    }
  }
  logger.warn({ meeting: meetingId, blocked: first }, 'Gemini blocked the plan prompt; trying once without the invitation text and CRM notes');
  try {
    return await generateValidated(model, { ...buildRephrasedPlanPrompt(brief), schema: PLAN_RESPONSE_SCHEMA, validate: parsePlan }, logger, 'rephrased plan');
  } catch (error) {
    if (!(error instanceof ModelBlockedError)) throw error;
    throw new PlanBlockedError(first, why(error), meetingId);
  }
}

function why(error: ModelBlockedError): string {
  return `${error.stage === 'prompt' ? 'blockReason' : 'finishReason'} ${error.reason}`;
}
