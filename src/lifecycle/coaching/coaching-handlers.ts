import type { JobHandler } from '../../daemon/job-runner.js';
import type { Services } from '../services.js';
import { PREPARE_PLAN, createPreparePlanHandler } from './prepare-plan.js';
import { HANDLE_INBOUND, createHandleInboundHandler, type InboundInterceptor } from '../whatsapp/handle-inbound.js';

export interface CoachingOptions {
  /** Use cases that may take an inbound message first (e.g. the follow-up's outcome reply). */
  interceptors?: InboundInterceptor[];
}

/**
 * The coaching job kinds:
 * - prepare_plan   {meetingId}: Gemini plan -> WhatsApp (needs gemini; left pending without it).
 * - handle_inbound InboundPayload: one WhatsApp message from the webhook -> reply.
 */
export function registerCoachingHandlers(services: Services, handlers: Record<string, JobHandler>, options: CoachingOptions = {}): void {
  const model = services.model;
  if (model) handlers[PREPARE_PLAN] = createPreparePlanHandler({ ...services, model });
  handlers[HANDLE_INBOUND] = createHandleInboundHandler(services, options.interceptors ?? []);
}
