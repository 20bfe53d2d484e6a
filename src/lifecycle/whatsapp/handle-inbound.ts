import { parseIntent, type Intent } from '../../domain/inbound-intent.js';
import { maskPhone, parsePhone } from '../../domain/phone.js';
import type { JobContext } from '../jobs/job-contract.js';
import { defineJob } from '../jobs/job-contract.js';
import { HANDLE_INBOUND, type InboundPayload } from '../jobs/job-kinds.js';
import { sendWhatsAppRequest } from './send-request.js';
import type { Services } from '../services.js';
import { releaseDeferred } from './business-message.js';
import { currentMeeting } from './current-meeting.js';
import { crmContextReader } from '../coaching/load-meeting-brief.js';
import { listMeetings, resendPlan, sendHelp, setDigest, setLanguage, switchMeeting } from './conversation-commands.js';
import { CATALOGUES, messagesFor } from '../../domain/messages/index.js';
import { roleplayTurn, startRoleplay, stopRoleplay } from '../coaching/roleplay.js';
import { coachReply } from '../coaching/coach-reply.js';
import { reply, type InboundTurn } from './inbound-context.js';
import { hearVoiceNote } from './voice-note.js';

/**
 * Lets another use case take an inbound message first (the follow-up takes the answer to
 * "how did it go?"). Return true when the message was handled. Called only for free text
 * outside a role-play.
 */
export type InboundInterceptor = (turn: InboundTurn) => Promise<boolean>;

/** The English answer to a stranger; the one sent is in defaults.language (there is no user to ask). */
export const NOT_REGISTERED_TEXT = CATALOGUES.en.general.notRegistered;

/**
 * The 'handle_inbound' job: the webhook acknowledged the message and queued this. It stores
 * the message, releases texts held back for the 24-hour window, and answers: a command, the
 * coach, or the role-played client. Messages of one sender are handled one at a time and in
 * arrival order by the queue itself (their jobs share the conversation's queue key), whichever
 * daemon received them.
 */
export function createHandleInboundHandler(services: Services, interceptors: InboundInterceptor[] = []) {
  const readCrm = crmContextReader(services);

  return async (ctx: JobContext<InboundPayload>): Promise<unknown> => {
    const { payload } = ctx;
    const parsed = parsePhone(payload.from, services.config.defaults.country);
    if (!parsed.ok) return { skipped: 'no sender' };
    return handle(ctx, payload, parsed.e164);
  };

  async function handle(ctx: JobContext<InboundPayload>, payload: InboundPayload, from: string): Promise<unknown> {
    const now = services.clock.now();
    const user = await services.store.users.byPhone(from);
    if (!user) return notRegistered(ctx, payload, from, now);

    const state = await services.store.conversations.get(user.id);
    const inRoleplay = state?.mode === 'roleplay' && state.roleplay_meeting_id !== null;
    const meeting = inRoleplay
      ? await services.store.meetings.byId(state.roleplay_meeting_id!)
      : await currentMeeting(services, user);
    let body = payload.body.trim();
    // A voice note is heard before anything is stored: from then on its transcript is the message.
    // A retry after the transcript was stored reuses it (no second download, the same words).
    const earlier = ctx.attempt > 1 && body === '' && payload.numMedia > 0 ? await services.store.messages.bySid(payload.messageSid) : undefined;
    const heard = body === '' && payload.numMedia > 0
      ? earlier && Number(earlier.voice) === 1 ? { ok: true as const, transcript: earlier.body } : await hearVoiceNote(services, ctx, payload, user, meeting ?? undefined)
      : undefined;
    if (heard?.ok) body = heard.transcript;
    const voice = heard?.ok === true;
    const intent: Intent = body === '' ? { kind: 'text', text: '' } : parseIntent(body);
    // Media that gave no words is kept out of the conversation history the model sees.
    const kind = heard && !heard.ok ? 'media' : intent.kind !== 'text' ? 'command' : inRoleplay ? 'roleplay' : 'chat';
    const recorded = await services.store.messages.record({ direction: 'in', userId: user.id, meetingId: meeting?.id ?? null, phone: from, body, twilioSid: payload.messageSid, kind, voice }, now);
    // Stored already: by an earlier attempt of this job (carry on; replies are keyed by the
    // SID) or by another job for a second delivery of the same message (stop).
    const message = recorded ?? (ctx.attempt > 1 ? await services.store.messages.bySid(payload.messageSid) : undefined);
    if (!message) return { duplicate: true };

    const turn: InboundTurn = { services, user, message, intent, meeting: meeting ?? undefined, readCrm, repliedToSid: payload.repliedToSid, orderAt: Number(ctx.job.run_at), voice };
    const released = await releaseDeferred(services, user);
    // Media rolplay could not use: its one reply (type or resend; what rolplay reads).
    if (heard && !heard.ok) {
      await reply(turn, heard.reply, 'command');
      return { media: heard.problem, released };
    }
    // The reply that opened the window gets the held-back texts; "plan" would only repeat them.
    if (released > 0 && (intent.kind === 'text' || intent.kind === 'plan') && !inRoleplay) return { released };
    if (intent.kind === 'text' && !inRoleplay) {
      for (const intercept of interceptors) if (await intercept(turn)) return { intercepted: true };
    }
    ctx.logger.debug({ user: user.id, intent: intent.kind, roleplay: inRoleplay, voice }, 'inbound WhatsApp message');
    switch (intent.kind) {
      case 'help': await sendHelp(turn); break;
      case 'plan': await resendPlan(turn); break;
      case 'meetings': await listMeetings(turn); break;
      case 'switch': await switchMeeting(turn, intent.index); break;
      case 'roleplay': await startRoleplay(turn, intent.difficulty); break;
      case 'stop': await stopRoleplay(turn); break;
      case 'digest': await setDigest(turn, intent.on); break;
      case 'language': await setLanguage(turn, intent.name); break;
      case 'text':
        if (inRoleplay) await roleplayTurn(turn, state!);
        else await coachReply(turn);
        break;
    }
    return { intent: intent.kind, released, ...(voice ? { voice } : {}) };
  }

  /** Strangers get one short answer a day, with no data; their words are not kept. */
  async function notRegistered(ctx: JobContext<InboundPayload>, payload: InboundPayload, from: string, now: number): Promise<unknown> {
    const recorded = await services.store.messages.record({ direction: 'in', userId: null, meetingId: null, phone: from, body: '', twilioSid: payload.messageSid, kind: 'unregistered' }, now);
    if (!recorded && ctx.attempt === 1) return { duplicate: true };
    const day = new Date(now).toISOString().slice(0, 10);
    const { created } = await services.queue.enqueue(sendWhatsAppRequest({ to: from, body: messagesFor(services.config.defaults.language).general.notRegistered, kind: 'unregistered', userId: null, meetingId: null }, `unregistered:${from}:${day}`, { reply: true, runAt: Number(ctx.job.run_at) }));
    ctx.logger.info({ from: maskPhone(from), answered: created }, 'WhatsApp message from an unregistered number');
    return { unregistered: true };
  }
}

/** The inbound-message job; the follow-up sees a message first (the answer to "how did it go?"). */
export function handleInboundJob(interceptors: (services: Services) => InboundInterceptor[]) {
  return defineJob(HANDLE_INBOUND, (services) => createHandleInboundHandler(services, interceptors(services)));
}
