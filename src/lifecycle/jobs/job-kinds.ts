import * as z from 'zod';
import { jobKind } from './job-kind.js';

/**
 * Every job kind rolplay has, by name, with its payload. Where each one's handler lives:
 * - send_whatsapp      whatsapp/send-whatsapp.ts     every outbound WhatsApp message
 * - admin_alert        whatsapp/alert-admin.ts       tells admin.whatsapp once per key
 * - delivery_failure   whatsapp/handle-delivery-failure.ts  a sent message Twilio later reported failed
 * - handle_inbound     whatsapp/handle-inbound.ts    one WhatsApp message from the webhook -> reply
 * - prepare_plan       coaching/prepare-plan.ts      Gemini plan -> WhatsApp
 * - accept_invite      calendar/accept-invite.ts     the bot accepts the invitation
 * - send_reminder, send_nudge   follow-up/send-reminder.ts   "how did it go?" and its nudge
 * - record_outcome     follow-up/record-outcome.ts   the salesperson's answer, structured
 * - log_hubspot_note   follow-up/log-outcome.ts      the note (and tasks) in HubSpot
 * - send_digests       digest/send-digests.ts        one week's digests: each salesperson's, the team's
 * Payloads are checked when enqueued and when claimed; a row that fails its schema fails at once.
 */

const meetingId = z.number().int().positive();
const stringMap = z.record(z.string(), z.string());

export const sendWhatsAppPayload = z.object({
  /** E.164 number (a "whatsapp:" prefix is tolerated). */
  to: z.string().min(1),
  body: z.string().optional(),
  /** A Twilio Content template instead of free text (business-initiated outside the 24 h window). */
  template: z.object({ contentSid: z.string().min(1), variables: stringMap }).optional(),
  /**
   * With free text for a welcome, plan or reminder: the variables of twilio.templates.<kind>,
   * so a text WhatsApp refuses later (63016 in a status callback) can fall back to the template.
   */
  templateVariables: stringMap.optional(),
  /**
   * A spoken reply (voice_media row) sent as the first part's media, the text as its body. The
   * URL is made at send time from server.publicUrl; a clip gone by then is left out.
   */
  mediaId: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/).optional(),
  /** What the message is (welcome, plan, reply, reminder, admin...): stored with it. */
  kind: z.string().min(1),
  userId: z.number().int().nullable().optional(),
  meetingId: z.number().int().nullable().optional(),
});
export type SendWhatsAppPayload = z.infer<typeof sendWhatsAppPayload>;

export const SEND_WHATSAPP = jobKind({
  name: 'send_whatsapp',
  payload: sendWhatsAppPayload,
  lane: 'whatsapp',
  priority: 0,
  // An admin alert that could not be sent is not itself worth an admin alert.
  alertOnFailure: (payload) => payload.kind !== 'admin',
});

export const ADMIN_ALERT = jobKind({
  name: 'admin_alert',
  payload: z.object({ key: z.string().min(1), text: z.string() }),
  lane: 'timely',
  priority: 0,
});

export const DELIVERY_FAILURE = jobKind({
  name: 'delivery_failure',
  payload: z.object({ sid: z.string().min(1) }),
  lane: 'timely',
  priority: 0,
});

export const inboundPayload = z.object({
  messageSid: z.string().min(1),
  /** "whatsapp:+34612345678" as Twilio sends it. */
  from: z.string().min(1),
  body: z.string(),
  numMedia: z.number().int().min(0),
  profileName: z.string().optional(),
  /** OriginalRepliedMessageSid: the message the user quoted, when they used WhatsApp's reply. */
  repliedToSid: z.string().optional(),
  /**
   * MediaUrl0 and MediaContentType0 of a message with media (NumMedia >= 1), as Twilio sent them:
   * the URL is checked against twilio.apiBaseUrl before anything fetches it (voice-note.ts).
   */
  media: z.object({ url: z.string().max(2048), contentType: z.string().max(200) }).optional(),
});
export type InboundPayload = z.infer<typeof inboundPayload>;

export const HANDLE_INBOUND = jobKind({
  name: 'handle_inbound',
  payload: inboundPayload,
  lane: 'conversation',
  priority: 1,
  // A reply hours late is worse than none: give up sooner than side-effect jobs do.
  maxAttempts: 5,
});

export const PREPARE_PLAN = jobKind({ name: 'prepare_plan', payload: z.object({ meetingId }), lane: 'plans', priority: 0 });

export const ACCEPT_INVITE = jobKind({
  name: 'accept_invite',
  // A series is accepted through its master (eventId), for the occurrence that asked (meetingId).
  payload: z.object({ eventId: z.string().min(1), meetingId: meetingId.optional() }),
  lane: 'calendar',
  priority: 1,
});

export const SEND_REMINDER = jobKind({ name: 'send_reminder', payload: z.object({ meetingId }), lane: 'timely', priority: 0 });
export const SEND_NUDGE = jobKind({ name: 'send_nudge', payload: z.object({ meetingId }), lane: 'timely', priority: 1 });
export const RECORD_OUTCOME = jobKind({
  name: 'record_outcome',
  /** voice: the reply was a voice note (its transcript is the reply). */
  payload: z.object({ meetingId, messageSid: z.string().optional(), voice: z.boolean().optional() }),
  lane: 'outcomes',
  priority: 0,
});
export const LOG_HUBSPOT_NOTE = jobKind({ name: 'log_hubspot_note', payload: z.object({ meetingId }), lane: 'crm', priority: 0 });

/** One week's digests (schedule.digest): keyed `digest:<ISO week>`, so each week's go out once. */
export const SEND_DIGESTS = jobKind({
  name: 'send_digests',
  payload: z.object({
    /** "2026-W49": the ISO week of the scheduled time, in defaults.timezone. */
    week: z.string().regex(/^\d{4}-W\d{2}$/),
    /** The week reported, [from, to) in epoch ms; `to` is the scheduled time. */
    from: z.number().int(),
    to: z.number().int(),
  }),
  lane: 'timely',
  priority: 1,
});
