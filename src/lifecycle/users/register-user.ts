import * as z from 'zod';
import { UsageError } from '../../support/errors.js';
import { isTimeZone } from '../../config/schema.js';
import { parsePhone } from '../../domain/phone.js';
import type { MeetingRow, UserRow } from '../../store/database.js';
import type { Services } from '../services.js';
import { pickUpUnmatchedMeetings } from './pick-up-unmatched.js';
import { sendWhatsAppRequest } from '../whatsapp/send-request.js';
import { LANGUAGES, languageNamed, messagesFor } from '../../domain/messages/index.js';
import { pickTemplate } from '../../config/pick-template.js';

export interface RegisterUserInput {
  name: string;
  email: string;
  phone: string;
  timezone?: string;
  /** A catalogue's code (en, es); a new salesperson without one gets defaults.language, an existing one keeps theirs. */
  language?: string;
  welcome: boolean;
}

export interface RegisterUserResult {
  user: UserRow;
  created: boolean;
  /** The queued welcome job, when one was queued. */
  welcomeJobId?: number;
  /** Invitations from this address recorded as unmatched before they registered, now coached. */
  pickedUp: MeetingRow[];
}

const emailSchema = z.email();

/**
 * Validates and normalises a salesperson, stores it, queues the welcome message, and picks up
 * the invitations they sent before registering (see pickUpUnmatchedMeetings).
 */
export async function registerUser(services: Services, input: RegisterUserInput): Promise<RegisterUserResult> {
  const { config, store, clock, queue } = services;
  const name = input.name.trim();
  if (name === '') throw new UsageError('--name is empty: give the salesperson\'s name, e.g. --name "Sara Lopez"');
  const email = input.email.trim().toLowerCase();
  if (!emailSchema.safeParse(email).success) throw new UsageError(`"${input.email}" is not an email address: expected e.g. --email sara@company.com`);
  const phone = parsePhone(input.phone, config.defaults.country);
  if (!phone.ok) throw new UsageError(`--phone: ${phone.reason} (defaults.country is ${config.defaults.country})`);
  const timezone = input.timezone?.trim() || config.defaults.timezone;
  if (!isTimeZone(timezone)) throw new UsageError(`--timezone: "${timezone}" is not an IANA time zone: expected e.g. Europe/Madrid or America/New_York`);

  // A code or a name the WhatsApp command also takes ("es", "Spanish", "español").
  const language = input.language === undefined ? undefined : languageNamed(input.language);
  if (input.language !== undefined && !language) {
    throw unknownLanguageError(input.language);
  }

  const owner = await store.users.byPhone(phone.e164);
  if (owner && owner.email !== email) {
    throw new UsageError(`the phone ${phone.e164} already belongs to ${owner.email}: one WhatsApp number identifies one salesperson (remove that user first with \`rolplay user remove ${owner.email}\`)`);
  }
  const before = await store.users.byEmail(email);
  const { user, created } = await store.users.upsert({ email, name, phone: phone.e164, timezone, language: language ?? (before ? undefined : config.defaults.language) }, clock.now());

  let welcomeJobId: number | undefined;
  const phoneChanged = before !== undefined && before.phone !== user.phone;
  if (input.welcome && (created || phoneChanged)) {
    const text = welcomeText(user.name, config.bot.email, user.language);
    const template = pickTemplate(config, 'welcome', user.language);
    const variables = { 1: firstName(user.name) };
    const { job } = await queue.enqueue(sendWhatsAppRequest({
      to: user.phone,
      kind: 'welcome',
      userId: user.id,
      ...(template ? { template: { contentSid: template, variables } } : { body: text, templateVariables: variables }),
    }, `welcome:${user.id}:${user.phone}`));
    welcomeJobId = job.id;
  }
  // Registered salespeople are colleagues whatever their domain, also where they were invited before.
  await store.clients.unlinkFromUpcomingMeetings(user.email, clock.now());
  // Queued after the welcome (a later run time and id), so a runner taking due jobs in order starts the welcome first.
  const pickedUp = await pickUpUnmatchedMeetings(services, user);
  return { user, created, welcomeJobId, pickedUp };
}

/** A language no catalogue has: exit 2, like a bad setting (the brief of issue 14). */
export function unknownLanguageError(value: string): UsageError {
  return new UsageError(`--language: "${value}" is not a language rolplay speaks: expected one of ${LANGUAGES.join(', ')}`, { exitCode: 2 });
}

export function welcomeText(name: string, botEmail: string, language?: string): string {
  return messagesFor(language).general.welcome({ firstName: firstName(name), botEmail });
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}
