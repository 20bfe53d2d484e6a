import * as z from 'zod';
import { UsageError, errorMessage } from '../support/errors.js';
import { parsePhone } from '../domain/phone.js';
import { WEBHOOK_PATH } from '../daemon/http/twilio-routes.js';
import { sendInboundWhatsApp } from '../sandbox/twilio-webhook.js';
import { oggOpusFile } from '../sandbox/ogg-opus-file.js';
import type { SandboxWorld } from './sandbox-world.js';
import { SANDBOX_BOT, SANDBOX_CLIENTS, SANDBOX_SELLER, sandboxNameOf } from './sandbox-people.js';

export interface InviteInput {
  /** The salesperson who sends the invitation (default: the registered Sara). */
  organizer?: string;
  subject?: string;
  /** Client attendees' emails (default: Ann Lee of Acme Corp, a HubSpot contact). */
  clients?: string[];
  /** The meeting starts this long from now. */
  inMs: number;
  durationMs: number;
}

export interface InviteResult {
  eventId: string;
  subject: string;
  organizer: string;
  clients: string[];
  start: string;
  end: string;
}

export interface SayInput {
  /** The sender's WhatsApp number (default: the registered Sara's). */
  from?: string;
  text: string;
  /** Send it as a voice note saying `text` (the Twilio simulator serves it; the Gemini simulator transcribes it). */
  voice?: boolean;
}

export interface SayResult {
  from: string;
  name: string | null;
  messageSid: string;
}

export interface SentMessage {
  sid: string;
  at: string;
  to: string;
  name: string | null;
  status: string;
  errorCode: number | null;
  /** The text, or for a template its rendered text (empty through a Messaging Service). */
  body: string;
  contentSid: string | null;
}

export interface NoteView {
  id: string;
  at: string;
  contacts: Array<{ id: string; name: string; email: string }>;
  body: string;
}

/**
 * What a person playing the outside world can do while the sandbox runs. The REPL calls these
 * in-process; `rolplay sandbox invite|say|sent|notes` call them over the control endpoint,
 * where the input arrives as JSON, so each one checks its own input.
 */
export interface SandboxActions {
  invite(input: InviteInput): Promise<InviteResult>;
  say(input: SayInput): Promise<SayResult>;
  sent(input: { to?: string; last?: number }): Promise<SentMessage[]>;
  notes(): Promise<NoteView[]>;
}

const email = z.email();
const DAY = 86_400_000;

export function localActions(world: SandboxWorld): SandboxActions {
  return {
    async invite(input) {
      const organizer = checkEmail(input.organizer ?? SANDBOX_SELLER.email, '--organizer');
      const clients = (input.clients?.length ? input.clients : [SANDBOX_CLIENTS[0]!.email]).map((c) => checkEmail(c, '--client'));
      const subject = (input.subject ?? '').trim() || defaultSubject(clients[0]!);
      if (subject.length > 255) throw new UsageError('the subject is longer than 255 characters');
      checkSpan(input.inMs, '--in', 0, 30 * DAY, 'from 0s to 30d');
      checkSpan(input.durationMs, '--for', 1000, DAY, 'from 1s to 1d');
      const start = Date.now() + input.inMs;
      const end = start + input.durationMs;
      const eventId = world.graph.addEvent({
        subject, organizer, start, end,
        body: `Sandbox invitation from ${organizer}.`,
        location: 'Microsoft Teams Meeting',
        attendees: [SANDBOX_BOT, ...clients.map((c) => ({ email: c, name: SANDBOX_CLIENTS.find((k) => k.email === c)?.name ?? c }))],
      });
      return { eventId, subject, organizer, clients, start: new Date(start).toISOString(), end: new Date(end).toISOString() };
    },

    async say(input) {
      const parsed = parsePhone(input.from ?? SANDBOX_SELLER.phone);
      if (!parsed.ok) throw new UsageError(`--from: ${parsed.reason}`);
      const text = typeof input.text === 'string' ? input.text.trim() : '';
      if (text === '') throw new UsageError('say what? e.g. `say what should I ask Ann?`');
      if (text.length > 1600) throw new UsageError('a WhatsApp message holds at most 1,600 characters');
      const url = `${world.daemonUrl}${WEBHOOK_PATH}`;
      const name = sandboxNameOf(parsed.e164) ?? null;
      let result;
      try {
        // Signed over the daemon's public URL (its own loopback address here), as Twilio signs.
        const media = input.voice === true ? world.twilio.addMedia({ contentType: 'audio/ogg', bytes: oggOpusFile({ seconds: Math.max(2, Math.round(text.length / 15)), transcript: text }) }) : undefined;
        result = await sendInboundWhatsApp({
          url, authToken: world.twilio.authToken, accountSid: world.twilio.accountSid,
          from: parsed.e164, body: media ? '' : text, profileName: name ?? 'WhatsApp user',
          ...(media ? { messageSid: media.messageSid, extra: media.params } : {}),
        });
      } catch (error) {
        throw new UsageError(`rolplay is not answering at ${world.daemonUrl} (${errorMessage(error)}): start it with \`rolplay start --config ${world.configPath}\``);
      }
      if (result.status !== 200) throw new UsageError(`rolplay answered the webhook with HTTP ${result.status}: ${result.body.slice(0, 200)}`);
      return { from: parsed.e164, name, messageSid: result.messageSid };
    },

    async sent(input) {
      let to: string | undefined;
      if (input.to !== undefined) {
        const parsed = parsePhone(input.to);
        if (!parsed.ok) throw new UsageError(`--to: ${parsed.reason}`);
        to = parsed.e164;
      }
      if (input.last !== undefined) checkSpan(input.last, '--last', 1, 10_000, 'a whole number from 1 to 10000');
      const messages = world.twilio.messages
        .filter((m) => to === undefined || m.to.replace(/^whatsapp:/, '') === to)
        .map((m): SentMessage => ({
          sid: m.sid, at: new Date(m.dateCreated).toISOString(), to: m.to.replace(/^whatsapp:/, ''),
          name: sandboxNameOf(m.to) ?? null, status: m.status, errorCode: m.errorCode, body: m.body, contentSid: m.contentSid,
        }));
      return messages.slice(-(input.last ?? 20));
    },

    async notes() {
      return world.hubspot.records('notes').map((note) => ({
        id: note.id,
        at: new Date(note.createdAt).toISOString(),
        contacts: world.hubspot.associationsOf('notes', note.id).filter((a) => a.toType === 'contacts').map((a) => {
          const p = world.hubspot.record('contacts', a.toId)?.properties ?? {};
          return { id: a.toId, name: [p.firstname, p.lastname].filter(Boolean).join(' '), email: p.email ?? '' };
        }),
        body: note.properties.hs_note_body ?? '',
      }));
    },
  };
}

function checkEmail(value: unknown, option: string): string {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!email.safeParse(text).success) throw new UsageError(`${option}: "${String(value)}" is not an email address`);
  return text;
}

function checkSpan(value: unknown, option: string, min: number, max: number, expected: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${option}: expected ${expected}`);
  }
}

function defaultSubject(client: string): string {
  const known = SANDBOX_CLIENTS.find((c) => c.email === client);
  return known ? `${known.company} renewal` : `Call with ${client}`;
}
