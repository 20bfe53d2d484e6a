import type { Config } from '../../config/schema.js';
import { isConfigured } from '../../config/schema.js';
import type { Services } from '../services.js';
import { serviceCheck, type DoctorCheck } from './doctor-checks.js';

/** One call per service through its real client; resolves to what it found, throws with the fix. */
export interface ServiceProbes {
  microsoft?: () => Promise<string>;
  twilio?: () => Promise<string>;
  hubspot?: () => Promise<string>;
  gemini?: () => Promise<string>;
}

export function serviceChecks(config: Config, probes: ServiceProbes): DoctorCheck[] {
  return [
    serviceCheck(`Microsoft Graph (calendar of ${config.bot.email})`, isConfigured.microsoft(config),
      'microsoft.tenantId, microsoft.clientId and microsoft.clientSecret (or MICROSOFT_TENANT_ID, MICROSOFT_CLIENT_ID, MICROSOFT_CLIENT_SECRET)', probes.microsoft),
    serviceCheck('Twilio WhatsApp', isConfigured.twilio(config),
      'twilio.accountSid and twilio.authToken (or TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)', probes.twilio),
    serviceCheck('HubSpot', isConfigured.hubspot(config),
      'hubspot.accessToken (or HUBSPOT_ACCESS_TOKEN): a private app token with the crm.objects.contacts.read/write and crm.objects.companies.read scopes', probes.hubspot),
    serviceCheck(`Gemini (${config.gemini.model})`, isConfigured.gemini(config),
      'gemini.apiKey (or GEMINI_API_KEY): a key from Google AI Studio', probes.gemini),
  ];
}

/** The probes the configured clients offer. */
export function probesFromServices(services: Services): ServiceProbes {
  const probes: ServiceProbes = {};
  const crm = services.crm;
  if (crm) {
    probes.hubspot = async () => {
      const results = await crm.checkAccess();
      const failed = results.filter((r) => !r.ok);
      if (failed.length > 0) throw new Error(failed.map((r) => r.problem ?? `missing scope ${r.scope}`).join('; '));
      return `token accepted; read access with ${results.map((r) => r.scope).join(', ')}`;
    };
  }
  const messenger = services.messenger;
  if (messenger) {
    probes.twilio = async () => {
      const account = await messenger.checkAccount();
      if (account.status !== 'active') throw new Error(`the Twilio account "${account.friendlyName}" is ${account.status}: reactivate it in the Twilio Console, or set twilio.accountSid to an active account`);
      const from = whatsAppAddress(services.config.twilio.whatsappFrom);
      const service = await messenger.checkMessagingService();
      if (!service) return `account "${account.friendlyName}" is active; sending from ${from}`;
      if (!service.senders.some((s) => whatsAppAddress(s) === from)) {
        const pool = service.senders.filter((s) => s.startsWith('whatsapp:'));
        throw new Error(`the Messaging Service "${service.friendlyName}" (${service.sid}) has no sender ${from} in its sender pool (WhatsApp senders there: ${pool.length > 0 ? pool.join(', ') : 'none'}): add it in Twilio Console > Messaging > Services > Sender Pool, or set twilio.whatsappFrom to one of them`);
      }
      return `account "${account.friendlyName}" is active; sending from ${from} through Messaging Service "${service.friendlyName}" (${service.sid}), whose sender pool holds it`;
    };
  }
  const calendar = services.calendar;
  if (calendar) {
    // A token and a one-day calendar read: what every poll needs (Calendars.Read on the bot mailbox).
    probes.microsoft = async () => {
      const now = services.clock.now();
      const page = await calendar.startSync({ start: now, end: now + 86_400_000 });
      return `token issued; calendar of ${services.config.bot.email} readable (${page.changes.length} events in the next 24 h${page.nextLink ? ' on the first page' : ''})`;
    };
  }
  const model = services.model;
  if (model) {
    // The model wrapper has no metadata call: a one-word generation proves key, model and quota.
    probes.gemini = async () => {
      const text = await model.generateText({ system: 'This is a connectivity check. Answer with the single word OK.', contents: [{ role: 'user', text: 'OK?' }], temperature: 0 });
      return `${services.config.gemini.model} answered (${text.trim().length} characters)`;
    };
  }
  return probes;
}

/** "whatsapp:+1415..." whatever the case of the prefix or stray spaces, so pool entries compare. */
function whatsAppAddress(value: string): string {
  const trimmed = value.trim().replace(/\s+/g, '');
  return `whatsapp:${trimmed.replace(/^whatsapp:/i, '')}`;
}
