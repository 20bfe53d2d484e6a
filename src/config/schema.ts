import * as z from 'zod';
import { Cron } from 'croner';
import { LOG_LEVELS } from './log-level.js';
import { LANGUAGES } from '../domain/messages/languages.js';

/**
 * The one schema behind config.json, the environment overrides, `config show` and the
 * error messages. Key names are a public contract (users' files depend on them): add keys,
 * never rename. Secrets are strings that default to "" (= not configured). Every object is
 * strict: a misspelled key (`gemini.concurency`) is an error with a "did you mean", never
 * silently ignored (see config-issues.ts).
 */
const secret = z.string().default('');
const url = (what: string) =>
  z.string().refine((value) => value === '' || /^https?:\/\/[^\s/]+/.test(value), {
    message: `expected an http:// or https:// address (${what})`,
  });
const positiveInt = z.number().int().positive();
/** Twilio's WhatsApp sandbox number, already in canonical form: the config does not parse it again. */
export const DEFAULT_WHATSAPP_FROM = 'whatsapp:+14155238886';

/**
 * twilio.templates.<kind>: one Content SID for everyone, or one per language (WhatsApp approves a
 * template in one language, so a Spanish salesperson needs the Spanish one). "" = none.
 */
const template = z.union([z.string(), z.record(z.string(), z.string())], {
  error: `expected a Content SID ("HX...", or "" for none) or a map from language to Content SID, e.g. {"en": "HX...", "es": "HX..."}`,
}).superRefine((value, ctx) => {
  if (typeof value === 'string') return;
  for (const key of Object.keys(value)) {
    if (!(LANGUAGES as readonly string[]).includes(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `unknown language "${key}": expected one of ${LANGUAGES.join(', ')}` });
    }
  }
}).default('');
export type TemplateSetting = z.infer<typeof template>;

/** How many jobs of one lane run at once in a daemon. */
function lane(fallback: number) {
  return z.number().int().min(1).max(512).default(fallback);
}

export const configSchema = z.strictObject({
  bot: z.strictObject({
    email: z.email({ message: 'expected the bot mailbox address, e.g. coach-bot@yourcompany.com' }).default('coach-bot@example.com'),
  }).prefault({}),
  dataDir: z.string().min(1).default('~/.local/share/rolplay'),
  database: z.strictObject({
    url: z.string().refine((v) => v === '' || /^postgres(ql)?:\/\//.test(v), {
      message: 'expected a postgres:// URL, or "" for the embedded SQLite store',
    }).default(''),
  }).prefault({}),
  server: z.strictObject({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(5000),
    publicUrl: url('the address Twilio calls, used to check webhook signatures').default(''),
    maxBodyBytes: positiveInt.default(64 * 1024),
    /** GET /metrics in Prometheus text format; off: that path is 404. */
    metrics: z.boolean().default(false),
    /** When set, /metrics wants `Authorization: Bearer <metricsToken>`. */
    metricsToken: secret,
  }).prefault({}),
  microsoft: z.strictObject({
    tenantId: z.string().default(''),
    clientId: z.string().default(''),
    clientSecret: secret,
    certificate: z.strictObject({
      thumbprint: z.string().default(''),
      privateKeyPath: z.string().default(''),
    }).prefault({}),
    authorityHost: url('Microsoft login host').default('https://login.microsoftonline.com'),
    graphBaseUrl: url('Microsoft Graph host').default('https://graph.microsoft.com'),
    pollSeconds: z.number().int().min(1).max(3600).default(30),
    lookaheadDays: z.number().int().min(1).max(180).default(14),
    resyncHours: z.number().int().min(1).max(168).default(24),
    /** With several daemons on one PostgreSQL, one polls; another takes over this long after it dies. */
    pollLeaseSeconds: z.number().int().min(5).max(3600).default(90),
    /** Longest wait for one answer from the token endpoint or Graph. */
    timeoutSeconds: z.number().min(1).max(600).default(30),
    acceptInvites: z.boolean().default(false),
    internalDomains: z.array(z.string().min(1)).default([]),
  }).prefault({}),
  gemini: z.strictObject({
    apiKey: secret,
    model: z.string().min(1).default('gemini-2.5-flash'),
    baseUrl: url('Gemini API host').default(''),
    concurrency: z.number().int().min(1).max(64).default(4),
    timeoutSeconds: z.number().min(1).max(600).default(60),
    /**
     * The text-to-speech model of voice replies (conversation.voiceReplies). Google's GA TTS
     * model for voice agents; gemini-2.5-flash-preview-tts is to be shut down on 2026-12-18
     * (ai.google.dev/gemini-api/docs/models/gemini-3.1-flash-tts-preview; the Gemini TTS
     * migration guide recommends Flash-Lite TTS for voice agents).
     */
    speechModel: z.string().min(1).default('gemini-3.8-flash-lite-tts'),
    /** A prebuilt voice (speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName): Kore, Puck, Charon... */
    speechVoice: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { message: 'expected the name of a prebuilt Gemini voice, such as Kore or Puck' }).default('Kore'),
  }).prefault({}),
  twilio: z.strictObject({
    accountSid: z.string().refine((v) => v === '' || /^AC[0-9a-fA-F]{32}$/.test(v), {
      message: 'expected a Twilio Account SID: "AC" followed by 32 hex characters (Twilio Console > Account info)',
    }).default(''),
    authToken: secret,
    whatsappFrom: z.string().default(DEFAULT_WHATSAPP_FROM),
    /** A Messaging Service every message is sent through (its sender pool holds whatsappFrom); empty = none. */
    messagingServiceSid: z.string().trim().refine((v) => v === '' || /^MG[0-9a-fA-F]{32}$/.test(v), {
      message: 'expected a Twilio Messaging Service SID: "MG" followed by 32 hex characters (Twilio Console > Messaging > Services), or empty for none',
    }).default(''),
    apiBaseUrl: url('Twilio API host').default(''),
    validateSignatures: z.boolean().default(true),
    /** Longest wait for one answer from Twilio's API (an unanswered send is checked before it is repeated). */
    timeoutSeconds: z.number().min(1).max(600).default(15),
    templates: z.strictObject({
      welcome: template,
      plan: template,
      reminder: template,
      /** The weekly digest outside the 24-hour window: {{1}} first name, {{2}} the week in one line. */
      digest: template,
    }).prefault({}),
  }).prefault({}),
  hubspot: z.strictObject({
    accessToken: secret,
    basePath: url('HubSpot API host').default(''),
    createMissingContacts: z.boolean().default(false),
    createTasks: z.boolean().default(false),
    /** Longest wait for one answer from HubSpot's API. */
    timeoutSeconds: z.number().min(1).max(600).default(30),
    /** How far HubSpot's search may lag behind a write: after an unanswered create, wait this long before searching for it. */
    searchLagSeconds: z.number().min(0).max(600).default(30),
  }).prefault({}),
  admin: z.strictObject({
    whatsapp: z.string().default(''),
  }).prefault({}),
  schedule: z.strictObject({
    reminderDelayMinutes: z.number().min(0).max(1440).default(1),
    planLeadHours: z.number().min(0).max(336).default(0),
    nudgeAfterHours: z.number().min(0).max(336).default(4),
    /** When the weekly digests go out: a cron expression in defaults.timezone; "" = never. */
    digest: z.string().trim().refine(isCronOrEmpty, {
      message: 'expected a cron expression (minute hour day-of-month month day-of-week), e.g. "0 8 * * MON" for Mondays at 08:00, or "" for no digests',
    }).default(''),
  }).prefault({}),
  conversation: z.strictObject({
    /** The current meeting is the next one starting within this many hours, else the latest open one. */
    horizonHours: z.number().min(1).max(336).default(48),
    /** Past messages given to the model as context for a reply. */
    historyTurns: z.number().int().min(0).max(50).default(12),
    /** Longest WhatsApp reply from the coach or the role-played client, in characters. */
    maxReplyChars: z.number().int().min(200).max(1600).default(1000),
    /**
     * An inbound message is handled this long after it arrived, so that an earlier message of the
     * same salesperson that reached another daemon (or was stored a moment later) still goes first.
     * Unset: 500 ms with PostgreSQL (several daemons), 0 with SQLite (one daemon, which stores
     * a sender's messages in the order they arrive). See inboundOrderWindowMs.
     */
    orderWindowMs: z.number().int().min(0).max(10_000).optional(),
    /**
     * Replies spoken as WhatsApp voice notes when the salesperson spoke (sent a voice note):
     * off; roleplay = the role-played client's answers; always = the coach's answers too. Needs
     * server.publicUrl (Twilio fetches the audio from it) and Gemini.
     */
    voiceReplies: z.enum(['off', 'roleplay', 'always'], { message: 'expected off, roleplay or always' }).default('off'),
    /** Longest voice note rolplay transcribes, in seconds; a longer one gets a reply asking for a shorter one. */
    maxVoiceSeconds: z.number().int().min(5).max(600).default(180),
  }).prefault({}),
  jobs: z.strictObject({
    maxAttempts: z.number().int().min(1).max(50).default(8),
    leaseSeconds: z.number().int().min(5).max(3600).default(120),
    /** A failed job's first retry waits about this long; each further one twice as long (jittered). */
    retryBaseSeconds: z.number().min(0.1).max(3600).default(5),
    /** The longest wait between two attempts. */
    retryMaxSeconds: z.number().min(1).max(86_400).default(3600),
    /**
     * Jobs of each lane run at once in one daemon; each lane is claimed on its own, so a backlog
     * in one (a burst of inbound messages) never delays another (a reminder due now).
     */
    concurrency: z.strictObject({
      /** Inbound WhatsApp messages: commands, the coach's answers, role-play turns (most wait on Gemini). */
      conversation: lane(32),
      /** Outbound WhatsApp sends (Twilio). */
      whatsapp: lane(16),
      /** Coaching plans (Gemini). */
      plans: lane(4),
      /** Structuring the salesperson's outcome (Gemini). */
      outcomes: lane(4),
      /** Reminders, nudges, admin alerts, delivery failures. */
      timely: lane(8),
      /** HubSpot notes and tasks. */
      crm: lane(4),
      /** Accepting invitations (Graph). */
      calendar: lane(2),
    }).prefault({}),
  }).prefault({}),
  defaults: z.strictObject({
    country: z.string().regex(/^[A-Za-z]{2}$/, { message: 'expected a two-letter ISO country code such as US or ES' }).default('US'),
    timezone: z.string().refine(isTimeZone, { message: 'expected an IANA time zone such as Europe/Madrid' }).default('UTC'),
    /** The language of a salesperson added without --language, and of the answer to an unknown number. */
    language: z.enum(LANGUAGES, { message: `expected one of ${LANGUAGES.join(', ')}` }).default('en'),
  }).prefault({}),
  log: z.strictObject({
    level: z.enum(LOG_LEVELS, { message: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  }).prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}

export function isCronOrEmpty(value: string): boolean {
  if (value === '') return true;
  try {
    // croner parses on construction and throws on a malformed pattern; paused, it never fires.
    new Cron(value, { paused: true });
    return true;
  } catch {
    return false;
  }
}

/** Dotted keys whose values are secrets: redacted in `config show`, logs and errors. */
export const SECRET_KEYS = new Set([
  'microsoft.clientSecret',
  'gemini.apiKey',
  'twilio.authToken',
  'hubspot.accessToken',
  'database.url',
  'server.metricsToken',
]);

/** Which services have enough settings to be called. */
export const isConfigured = {
  microsoft: (c: Config) => c.microsoft.tenantId !== '' && c.microsoft.clientId !== '' && (c.microsoft.clientSecret !== '' || c.microsoft.certificate.privateKeyPath !== ''),
  gemini: (c: Config) => c.gemini.apiKey !== '',
  twilio: (c: Config) => c.twilio.accountSid !== '' && c.twilio.authToken !== '',
  hubspot: (c: Config) => c.hubspot.accessToken !== '',
};

/** conversation.orderWindowMs, or its default for the store in use (see the schema). */
export function inboundOrderWindowMs(config: Pick<Config, 'conversation' | 'database'>): number {
  return config.conversation.orderWindowMs ?? (config.database.url ? 500 : 0);
}
