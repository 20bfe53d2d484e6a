import type { UserRow } from '../../store/database.js';
import { flattenTemplateVariable } from '../../domain/template-variables.js';
import { pickTemplate } from '../../config/pick-template.js';
import { sendWhatsAppRequest } from './send-request.js';
import type { SendWhatsAppPayload } from '../jobs/job-kinds.js';
import type { Services } from '../services.js';

export type BusinessKind = 'welcome' | 'plan' | 'reminder' | 'digest';

export interface BusinessMessage {
  user: UserRow;
  meetingId: number | null;
  kind: BusinessKind;
  /** The full text, sent as is when free text is allowed. */
  text: string;
  /** Template variables by position ({"1": "Sam"}); flattened before sending. */
  variables: Record<string, string>;
  /** One message per key: a retried step sends nothing twice. */
  dedupeKey: string;
}

/** Inside WhatsApp's 24-hour window, with a margin for a send job that runs a little late. */
const WINDOW_MS = 23.5 * 3_600_000;

/**
 * Sends a message rolplay starts (not a reply). Inside the 24-hour window opened by the user's
 * last message it is free text. Outside it, with a Content template configured for the kind
 * (twilio.templates.*), the approved template goes out and the full text waits until the user
 * answers (which opens the window); a free text WhatsApp refuses (63016, at once or in a
 * status callback) falls back the same way. Without a template it is free text anyway: if
 * Twilio refuses it the send job fails, is recorded and the admin is told; it is not retried.
 */
export async function sendBusinessMessage(services: Pick<Services, 'config' | 'clock' | 'store' | 'queue'>, message: BusinessMessage): Promise<'text' | 'template'> {
  const { user } = message;
  const now = services.clock.now();
  const lastInbound = await services.store.messages.lastInboundAt(user.id);
  const windowOpen = lastInbound !== undefined && now - lastInbound < WINDOW_MS;
  const contentSid = pickTemplate(services.config, message.kind, user.language);
  if (windowOpen || !contentSid) {
    // The variables travel with the text: if WhatsApp refuses it later (63016 in a status
    // callback), the template can still go out (handle-delivery-failure.ts).
    await services.queue.enqueue(sendWhatsAppRequest({ ...payloadBase(message), body: message.text, templateVariables: flatVariables(message.variables) }, message.dedupeKey));
    return 'text';
  }
  await holdForTemplate(services, message, contentSid);
  return 'template';
}

/**
 * Outside the window: the full text waits in deferred_messages and the approved template goes
 * out, once per dedupe key (both writes are keyed, so a retried step adds nothing twice).
 */
export async function holdForTemplate(services: Pick<Services, 'clock' | 'store' | 'queue'>, message: BusinessMessage, contentSid: string): Promise<void> {
  const { user } = message;
  await services.store.deferredMessages.add({ userId: user.id, meetingId: message.meetingId, kind: message.kind, body: message.text, dedupeKey: message.dedupeKey }, services.clock.now());
  await services.queue.enqueue(sendWhatsAppRequest({ ...payloadBase(message), template: { contentSid, variables: flatVariables(message.variables) } }, `${message.dedupeKey}:template`));
}

export function isBusinessKind(kind: string): kind is BusinessKind {
  return kind === 'welcome' || kind === 'plan' || kind === 'reminder' || kind === 'digest';
}

/**
 * A free text WhatsApp refused as outside the 24-hour window (63016, at once or later in a
 * status callback): a welcome, plan, reminder or digest with twilio.templates.<kind> set gets the
 * template instead, and `text` waits for the reply (holdForTemplate, once per `dedupeKey`).
 * Returns the template's Content SID, or undefined when there is none to fall back to.
 */
export async function templateInstead(
  services: Pick<Services, 'config' | 'clock' | 'store' | 'queue'>,
  refused: { payload: SendWhatsAppPayload; user: UserRow; text: string; dedupeKey: string },
): Promise<string | undefined> {
  const { payload } = refused;
  if (payload.template || !isBusinessKind(payload.kind)) return undefined;
  const contentSid = pickTemplate(services.config, payload.kind, refused.user.language);
  if (!contentSid) return undefined;
  await holdForTemplate(services, {
    user: refused.user, meetingId: payload.meetingId ?? null, kind: payload.kind, text: refused.text,
    variables: payload.templateVariables ?? {}, dedupeKey: refused.dedupeKey,
  }, contentSid);
  return contentSid;
}

function payloadBase(message: BusinessMessage): SendWhatsAppPayload {
  return { to: message.user.phone, kind: message.kind, userId: message.user.id, meetingId: message.meetingId };
}

/**
 * The user wrote: the window is open, so held-back full texts go out now, oldest first.
 * Returns how many were released.
 */
export async function releaseDeferred(services: Pick<Services, 'clock' | 'store' | 'queue'>, user: UserRow): Promise<number> {
  let released = 0;
  for (const deferred of await services.store.deferredMessages.pending(user.id)) {
    // Enqueue first (idempotent by key), then mark: a crash in between re-enqueues nothing twice.
    await services.queue.enqueue(sendWhatsAppRequest(
      { to: user.phone, body: deferred.body, kind: deferred.kind, userId: user.id, meetingId: deferred.meeting_id },
      `deferred:${deferred.id}`,
    ));
    if (await services.store.deferredMessages.markDelivered(deferred.id, services.clock.now())) released++;
  }
  return released;
}

/** Template variables as WhatsApp accepts them: one line, no long space runs, never empty. */
function flatVariables(variables: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, flattenTemplateVariable(v, 200)]));
}
