import { logLevelProblem } from './log-level.js';

/**
 * Environment variables that override config.json. The seed's names come first (existing
 * deployments set them); every secret and every endpoint has one.
 */
type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

export interface EnvOverride {
  name: string;
  key: string;
  parse(value: string): Parsed;
}

const text = (value: string): Parsed => ({ ok: true, value });
const integer = (value: string): Parsed =>
  /^\d+$/.test(value.trim()) ? { ok: true, value: Number(value) } : { ok: false, reason: `expected a whole number, found "${value}"` };
const number = (value: string): Parsed =>
  Number.isFinite(Number(value)) && value.trim() !== '' ? { ok: true, value: Number(value) } : { ok: false, reason: `expected a number, found "${value}"` };
const bool = (value: string): Parsed => {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return { ok: true, value: true };
  if (['0', 'false', 'no', 'off'].includes(v)) return { ok: true, value: false };
  return { ok: false, reason: `expected true or false, found "${value}"` };
};
const level = (value: string): Parsed => {
  const problem = logLevelProblem(value.trim());
  return problem ? { ok: false, reason: problem } : { ok: true, value: value.trim() };
};
const list = (value: string): Parsed => ({ ok: true, value: value.split(',').map((s) => s.trim()).filter(Boolean) });

const entries: Array<[string, string, (value: string) => Parsed]> = [
  // the seed's names
  ['GEMINI_API_KEY', 'gemini.apiKey', text],
  ['TWILIO_ACCOUNT_SID', 'twilio.accountSid', text],
  ['TWILIO_AUTH_TOKEN', 'twilio.authToken', text],
  ['TWILIO_WHATSAPP_FROM', 'twilio.whatsappFrom', text],
  ['TWILIO_MESSAGING_SERVICE_SID', 'twilio.messagingServiceSid', text],
  ['ADMIN_WHATSAPP_TO', 'admin.whatsapp', text],
  ['HUBSPOT_ACCESS_TOKEN', 'hubspot.accessToken', text],
  ['DATABASE_URL', 'database.url', text],
  // hosting platforms (Render, Heroku) give the port this way
  ['PORT', 'server.port', integer],
  // everything else, ROLPLAY_-prefixed
  ['ROLPLAY_BOT_EMAIL', 'bot.email', text],
  ['ROLPLAY_DATA_DIR', 'dataDir', text],
  ['ROLPLAY_SERVER_HOST', 'server.host', text],
  ['ROLPLAY_SERVER_PORT', 'server.port', integer],
  ['ROLPLAY_PUBLIC_URL', 'server.publicUrl', text],
  ['ROLPLAY_SERVER_METRICS', 'server.metrics', bool],
  ['ROLPLAY_SERVER_METRICS_TOKEN', 'server.metricsToken', text],
  ['MICROSOFT_TENANT_ID', 'microsoft.tenantId', text],
  ['MICROSOFT_CLIENT_ID', 'microsoft.clientId', text],
  ['MICROSOFT_CLIENT_SECRET', 'microsoft.clientSecret', text],
  ['MICROSOFT_AUTHORITY_HOST', 'microsoft.authorityHost', text],
  ['MICROSOFT_GRAPH_BASE_URL', 'microsoft.graphBaseUrl', text],
  ['ROLPLAY_POLL_SECONDS', 'microsoft.pollSeconds', integer],
  ['ROLPLAY_INTERNAL_DOMAINS', 'microsoft.internalDomains', list],
  ['ROLPLAY_ACCEPT_INVITES', 'microsoft.acceptInvites', bool],
  ['GEMINI_MODEL', 'gemini.model', text],
  ['GEMINI_BASE_URL', 'gemini.baseUrl', text],
  ['GEMINI_SPEECH_MODEL', 'gemini.speechModel', text],
  ['GEMINI_SPEECH_VOICE', 'gemini.speechVoice', text],
  ['TWILIO_API_BASE_URL', 'twilio.apiBaseUrl', text],
  ['TWILIO_VALIDATE_SIGNATURES', 'twilio.validateSignatures', bool],
  ['HUBSPOT_BASE_PATH', 'hubspot.basePath', text],
  ['ROLPLAY_REMINDER_DELAY_MINUTES', 'schedule.reminderDelayMinutes', number],
  ['ROLPLAY_DIGEST_SCHEDULE', 'schedule.digest', text],
  ['ROLPLAY_VOICE_REPLIES', 'conversation.voiceReplies', text],
  ['ROLPLAY_MAX_VOICE_SECONDS', 'conversation.maxVoiceSeconds', integer],
  ['ROLPLAY_DEFAULT_COUNTRY', 'defaults.country', text],
  ['ROLPLAY_DEFAULT_TIMEZONE', 'defaults.timezone', text],
  ['ROLPLAY_DEFAULT_LANGUAGE', 'defaults.language', text],
  ['ROLPLAY_LOG_LEVEL', 'log.level', level],
];

export const ENV_OVERRIDES: EnvOverride[] = entries.map(([name, key, parse]) => ({ name, key, parse }));
