import { ProviderError, TransientError } from '../../support/errors.js';
import { splitMessage } from '../../domain/split-message.js';
import { maskPhone } from '../../domain/phone.js';
import type { JobContext } from '../jobs/job-contract.js';
import { defineJob } from '../jobs/job-contract.js';
import { SEND_WHATSAPP, type SendWhatsAppPayload } from '../jobs/job-kinds.js';
import { templateInstead } from './business-message.js';
import type { Services } from '../services.js';
import type { SentPart } from '../../clients/twilio/messenger.js';
import type { JobRow } from '../../store/database.js';
import { reminderSendKey } from '../follow-up/send-reminder.js';
import { reminderDueAt } from '../follow-up/schedule-follow-up.js';
import { servedMediaUrl } from './voice-reply.js';

interface Progress {
  sids: string[];
  /** Index of the part whose send was started but not confirmed (the process may have died). */
  sending?: number;
  /** When that send was started (epoch ms): the already-sent lookup starts there. */
  sendingAt?: number;
}

/** Our clock and Twilio's may disagree by this much. */
const CLOCK_SKEW_MS = 60_000;
/**
 * How long (in Twilio timeouts) a send that Twilio's log does not show yet is given to appear
 * before it is sent again: a queued message has no DateSent, and Twilio may list such messages
 * after every sent one (see find-sent-messages.ts), so only leaving the queue makes it visible.
 */
const QUEUE_GRACE_TIMEOUTS = 4;

/**
 * The durable WhatsApp send. Long text is split under Twilio's 1,600-character limit and sent
 * in order; progress is saved after every part, so a retry resumes where it stopped. When a
 * previous attempt died between sending a part and recording it, Twilio's message log is
 * checked before sending that part again, so the salesperson never gets it twice.
 */
export const sendWhatsAppJob = defineJob(SEND_WHATSAPP, (services) => {
  const messenger = services.messenger;
  // Without Twilio the whatsapp lane is not claimed: sends wait until it is configured.
  if (!messenger) return undefined;
  return async (ctx) => {
    const { payload } = ctx;
    const to = payload.to.replace(/^whatsapp:/i, '');
    if (!/^\+[1-9]\d{6,14}$/.test(to)) throw new Error(`send_whatsapp job ${ctx.job.id} has no valid recipient`);
    const parts: Array<{ body?: string; template?: SendWhatsAppPayload['template'] }> = payload.template
      ? [{ template: payload.template }]
      : splitMessage(payload.body ?? '').map((body) => ({ body }));
    if (parts.length === 0) return { sids: [] };

    const progress: Progress = normaliseProgress(ctx.progress);
    for (let i = progress.sids.length; i < parts.length; i++) {
      const part = parts[i]!;
      if (progress.sending === i) {
        const sentAt = progress.sendingAt ?? Number(ctx.job.created_at);
        const found = await findEarlierSend(services, to, part, sentAt - CLOCK_SKEW_MS);
        if (!found) {
          const graceEnd = sentAt + QUEUE_GRACE_TIMEOUTS * services.config.twilio.timeoutSeconds * 1000;
          const now = services.clock.now();
          if (now < graceEnd) {
            throw new TransientError(`part ${i + 1} of this message may have reached Twilio without an answer and is not in its message log yet (a queued message has no DateSent); checking again before sending it`, { retryAfterMs: graceEnd - now, code: 'TWILIO_SEND_UNCONFIRMED', deferral: true });
          }
        }
        if (found) {
          ctx.logger.info({ part: i, sid: found }, 'an earlier attempt had already sent this part; not sending it again');
          progress.sids.push(found);
          progress.sending = undefined;
          progress.sendingAt = undefined;
          await ctx.saveProgress(progress);
          await record(services, payload, to, part.body ?? '[template]', found, ctx.job.id);
          continue;
        }
      }
      progress.sending = i;
      progress.sendingAt = services.clock.now();
      if (!(await ctx.saveProgress(progress))) throw new TransientError('lost the job lease before sending');
      // A spoken reply rides on the first part (WhatsApp takes one media item per message).
      const mediaUrl = i === 0 && payload.mediaId && !part.template ? await servedMediaUrl({ ...services, logger: ctx.logger }, payload.mediaId) : undefined;
      let sid: string;
      try {
        const sent = part.template
          ? await messenger.send({ to, contentSid: part.template.contentSid, contentVariables: part.template.variables })
          : await messenger.send({ to, body: part.body ?? '', ...(mediaUrl ? { mediaUrl } : {}) });
        sid = sent.sid;
      } catch (error) {
        // Keep `sending` only when the request may have gone through; otherwise resend is safe.
        if (!(error instanceof ProviderError && error.ambiguous)) {
          progress.sending = undefined;
          progress.sendingAt = undefined;
          await ctx.saveProgress(progress);
        }
        const held = await holdRefusedText(services, ctx, payload, parts.slice(i).map((p) => p.body ?? '').join('\n\n'), error);
        if (held) return { sids: progress.sids, heldForTemplate: held };
        throw error;
      }
      progress.sids.push(sid);
      progress.sending = undefined;
      progress.sendingAt = undefined;
      await ctx.saveProgress(progress);
      await record(services, payload, to, part.body ?? '[template]', sid, ctx.job.id);
      // A metric never fails a send that went out.
      if (i === 0) await reportReminderLateness(services, ctx.job, payload).catch(() => undefined);
      ctx.logger.info({ to: maskPhone(to), messageKind: payload.kind, part: i + 1, of: parts.length, sid, ...(mediaUrl ? { voice: true } : {}) }, 'WhatsApp message sent');
    }
    return { sids: progress.sids };
  };
});

/**
 * WhatsApp refused free text at once because the 24-hour window is closed (63016): a welcome,
 * plan or reminder falls back to its template, and the unsent text waits for the reply, as
 * when the window is known to be closed up front. Returns the template's Content SID, or
 * undefined when there is nothing to fall back to (the job then fails and the admin is told).
 */
async function holdRefusedText(services: Services, ctx: JobContext<SendWhatsAppPayload>, payload: SendWhatsAppPayload, unsent: string, error: unknown): Promise<string | undefined> {
  if (!(error instanceof ProviderError && error.providerCode === 63016)) return undefined;
  const user = payload.userId != null ? await services.store.users.byId(payload.userId) : undefined;
  if (!user) return undefined;
  const contentSid = await templateInstead(services, { payload, user, text: unsent, dedupeKey: ctx.job.dedupe_key });
  if (contentSid) ctx.logger.info({ to: maskPhone(payload.to), messageKind: payload.kind }, 'WhatsApp refused free text outside the 24-hour window; the template went out and the text waits for their reply');
  return contentSid;
}

/**
 * The SID of this exact part at Twilio, sent since `since` and not yet recorded by rolplay (a
 * message another job recorded is that job's, even when its text is the same).
 */
async function findEarlierSend(services: Services, to: string, part: { body?: string; template?: SendWhatsAppPayload['template'] }, since: number): Promise<string | undefined> {
  const wanted: SentPart = part.template ? { contentSid: part.template.contentSid, variables: part.template.variables } : { body: part.body ?? '' };
  const { matches } = await services.messenger!.findSent({ to, since, part: wanted });
  for (const m of matches) {
    if (m.status === 'failed' || m.status === 'undelivered') continue;
    if (!(await services.store.messages.bySid(m.sid))) return m.sid;
  }
  return undefined;
}

/**
 * A meeting's reminder reached Twilio: how long after its due time (GET /metrics). Only the
 * reminder itself counts (its own send, or its template when WhatsApp refused the text at
 * once), not the text delivered later when the salesperson writes.
 */
async function reportReminderLateness(services: Services, job: JobRow, payload: SendWhatsAppPayload): Promise<void> {
  if (!services.metrics || payload.kind !== 'reminder' || payload.meetingId == null) return;
  const key = reminderSendKey(payload.meetingId);
  if (job.dedupe_key !== key && job.dedupe_key !== `${key}:template`) return;
  const meeting = await services.store.meetings.byId(payload.meetingId);
  if (meeting) services.metrics.reminderSent((services.clock.now() - reminderDueAt(services, meeting)) / 1000);
}

async function record(services: Services, payload: SendWhatsAppPayload, to: string, body: string, sid: string, jobId: number): Promise<void> {
  await services.store.messages.record({
    direction: 'out',
    userId: payload.userId ?? null,
    meetingId: payload.meetingId ?? null,
    phone: to,
    body,
    twilioSid: sid,
    kind: payload.kind,
    jobId,
  }, services.clock.now());
}

function normaliseProgress(value: unknown): Progress {
  if (value && typeof value === 'object' && Array.isArray((value as Progress).sids)) {
    const p = value as Progress;
    return {
      sids: p.sids.filter((s) => typeof s === 'string'),
      sending: typeof p.sending === 'number' ? p.sending : undefined,
      sendingAt: typeof p.sendingAt === 'number' ? p.sendingAt : undefined,
    };
  }
  return { sids: [] };
}
