import type { Config } from './schema.js';

export interface Placeholder {
  /** Dotted key, e.g. microsoft.tenantId (internalDomains with its index). */
  key: string;
  value: string;
  /** What to put there instead. */
  fix: string;
}

const ZERO_GUID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
/** config.example.json's domain: yourcompany.com or any name under it. */
const EXAMPLE_DOMAIN = /(^|[.@])yourcompany\.com$/i;
/** A Twilio SID of the right shape but all zeros (AC account, MG messaging service, HX content template). */
const ZERO_SID = /^(AC|MG|HX)0{32}$/;

/**
 * Values copied from config.example.json that pass the schema but cannot work: the all-zero
 * tenant and client ids, the yourcompany.com addresses, all-zero SIDs. `rolplay doctor` fails on
 * each, naming the key; the daemon would otherwise fail later with a less obvious error.
 */
export function findPlaceholders(config: Config): Placeholder[] {
  const found: Placeholder[] = [];
  const check = (key: string, value: string, matches: boolean, fix: string) => {
    if (value !== '' && matches) found.push({ key, value, fix });
  };
  check('microsoft.tenantId', config.microsoft.tenantId, ZERO_GUID.test(config.microsoft.tenantId), 'your Directory (tenant) ID from the app registration\'s Overview page in the Microsoft Entra admin center');
  check('microsoft.clientId', config.microsoft.clientId, ZERO_GUID.test(config.microsoft.clientId), 'the Application (client) ID from the same page');
  check('bot.email', config.bot.email, EXAMPLE_DOMAIN.test(config.bot.email), 'the address of the bot mailbox salespeople invite');
  check('server.publicUrl', config.server.publicUrl, EXAMPLE_DOMAIN.test(hostOf(config.server.publicUrl)), 'the public https address Twilio reaches this daemon at');
  config.microsoft.internalDomains.forEach((domain, i) => {
    check(`microsoft.internalDomains[${i}]`, domain, EXAMPLE_DOMAIN.test(domain), 'your company\'s own email domains');
  });
  check('twilio.accountSid', config.twilio.accountSid, ZERO_SID.test(config.twilio.accountSid), 'your Account SID (Twilio Console > Account info)');
  check('twilio.messagingServiceSid', config.twilio.messagingServiceSid, ZERO_SID.test(config.twilio.messagingServiceSid), 'your Messaging Service SID, or "" for none');
  for (const [kind, setting] of Object.entries(config.twilio.templates)) {
    // One SID, or one per language ({"en": "HX...", "es": "HX..."}): each is checked under its own key.
    const sids: Array<[string, string]> = typeof setting === 'string' ? [[`twilio.templates.${kind}`, setting]] : Object.entries(setting).map(([language, sid]) => [`twilio.templates.${kind}.${language}`, sid]);
    for (const [key, sid] of sids) check(key, sid, ZERO_SID.test(sid), 'the Content SID of an approved WhatsApp template, or "" for none');
  }
  return found;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
