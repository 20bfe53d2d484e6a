import type { SimReply, SimRequest } from './http-sim.js';
import { newSid } from './twilio-sim-messages.js';

/**
 * The two v1 APIs next to the Messages API that rolplay reads: Messaging Services on
 * messaging.twilio.com (a service and the channel senders in its pool) and Content templates on
 * content.twilio.com. The SDK's traffic for both is redirected to the same simulator, and their
 * paths do not overlap (/v1/Services/..., /v1/Content/...). Shapes follow the examples in
 * twilio/twilio-oai spec/json/twilio_messaging_v1.json and twilio_content_v1.json.
 */
export interface SimService {
  sid: string;
  friendlyName: string;
  /** Channel senders in the pool, e.g. "whatsapp:+14155238886". */
  senders: string[];
  createdAt: number;
}

export interface SimContent {
  sid: string;
  friendlyName: string;
  /** Default placeholder values ("Defines the default placeholder values for variables"). */
  variables: Record<string, string>;
  /** e.g. { "twilio/text": { body: "Hi {{1}}" } }. */
  types: Record<string, Record<string, unknown>>;
  createdAt: number;
}

type Reply = (status: number, code: number, message: string) => SimReply;

const ISO = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const MESSAGING = 'https://messaging.twilio.com/v1/Services';

export function serviceJson(accountSid: string, s: SimService): Record<string, unknown> {
  const url = `${MESSAGING}/${s.sid}`;
  return {
    account_sid: accountSid, sid: s.sid, date_created: ISO(s.createdAt), date_updated: ISO(s.createdAt),
    friendly_name: s.friendlyName, inbound_request_url: null, inbound_method: 'POST', fallback_url: null,
    fallback_method: 'POST', status_callback: null, sticky_sender: true, mms_converter: true, smart_encoding: true,
    fallback_to_long_code: true, area_code_geomatch: true, validity_period: 14400, scan_message_content: 'inherit',
    synchronous_validation: true, usecase: 'undeclared', us_app_to_person_registered: false, use_inbound_webhook_on_number: false,
    links: {
      phone_numbers: `${url}/PhoneNumbers`, short_codes: `${url}/ShortCodes`, alpha_senders: `${url}/AlphaSenders`,
      messages: `${url}/Messages`, us_app_to_person: `${url}/Compliance/Usa2p`, us_app_to_person_usecases: `${url}/Compliance/Usa2p/Usecases`,
      channel_senders: `${url}/ChannelSenders`, destination_alpha_senders: `${url}/DestinationAlphaSenders`,
    },
    url,
  };
}

/** GET /v1/Services/{MG}/ChannelSenders: { senders, meta } with Page/PageSize paging. */
export function channelSendersJson(accountSid: string, s: SimService, query: URLSearchParams): Record<string, unknown> {
  const pageSize = Math.min(1000, Math.max(1, Number(query.get('PageSize') ?? 50) || 50));
  const page = Math.max(0, Number(query.get('Page') ?? 0) || 0);
  const base = `${MESSAGING}/${s.sid}/ChannelSenders`;
  const link = (p: number) => `${base}?PageSize=${pageSize}&Page=${p}`;
  const all = s.senders.map((sender, i) => ({
    account_sid: accountSid, messaging_service_sid: s.sid, sid: `XE${s.sid.slice(2, 26)}${String(i).padStart(8, '0')}`,
    sender, sender_type: senderType(sender), country_code: 'US', date_created: ISO(s.createdAt), date_updated: ISO(s.createdAt),
    url: `${base}/XE${s.sid.slice(2, 26)}${String(i).padStart(8, '0')}`,
  }));
  const slice = all.slice(page * pageSize, (page + 1) * pageSize);
  return {
    meta: {
      page, page_size: pageSize, first_page_url: link(0), previous_page_url: page > 0 ? link(page - 1) : null,
      next_page_url: (page + 1) * pageSize < all.length ? link(page + 1) : null, key: 'senders', url: link(page),
    },
    senders: slice,
  };
}

function senderType(sender: string): string {
  if (sender.startsWith('whatsapp:')) return 'WhatsApp';
  if (sender.startsWith('messenger:')) return 'Messenger';
  if (sender.startsWith('rcs:')) return 'RCS';
  return 'Unknown';
}

export function contentJson(accountSid: string, c: SimContent): Record<string, unknown> {
  const url = `https://content.twilio.com/v1/Content/${c.sid}`;
  return {
    sid: c.sid, account_sid: accountSid, friendly_name: c.friendlyName, language: 'en', variables: c.variables, types: c.types,
    url, date_created: ISO(c.createdAt), date_updated: ISO(c.createdAt),
    links: { approval_create: `${url}/ApprovalRequests/whatsapp`, approval_fetch: `${url}/ApprovalRequests` },
  };
}

/**
 * The text a template send leaves in the Message's body: the template's body with its
 * variables filled in (twilio/twilio-node#1081: "The response contains the expected body field
 * with the rendered message"). Variables not given take the Content's defaults.
 */
export function renderContent(c: SimContent, variables: Record<string, string> | null): string {
  const type = Object.values(c.types).find((t) => typeof t.body === 'string');
  const body = typeof type?.body === 'string' ? type.body : '';
  return body.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_, key: string) => variables?.[key] ?? c.variables[key] ?? '');
}

/**
 * A Content for a SID the test did not define: the sandbox accepts any well-formed HX SID
 * (real Twilio refuses an unknown one; rolplay's tests and demo use made-up SIDs), and gives it
 * a body naming each variable it was first sent with.
 */
export function inventContent(sid: string, variables: Record<string, string> | null, now: number): SimContent {
  const keys = Object.keys(variables ?? {});
  const body = `rolplay sandbox template ${sid.slice(0, 8)}${keys.map((k) => ` {{${k}}}`).join('')}`;
  return { sid, friendlyName: `sandbox ${sid.slice(0, 8)}`, variables: Object.fromEntries(keys.map((k) => [k, `sample ${k}`])), types: { 'twilio/text': { body } }, createdAt: now };
}

/** ContentVariables as Twilio checks them (21656): a JSON object of strings without newlines, tabs or 5+ spaces. */
export function parseContentVariables(raw: string | null): Record<string, string> | null | string {
  if (!raw) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return 'The ContentVariables Parameter is invalid.';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'The ContentVariables Parameter is invalid.';
  for (const value of Object.values(parsed)) {
    if (typeof value !== 'string' || /[\n\t]| {5,}/.test(value)) return 'The ContentVariables Parameter is invalid: a variable contains newlines, tabs or more than 4 consecutive spaces.';
  }
  return parsed as Record<string, string>;
}

export interface V1State {
  accountSid: string;
  services: Map<string, SimService>;
  contents: Map<string, SimContent>;
}

/** Routes GET /v1/Services/{MG}[/ChannelSenders] and GET /v1/Content/{HX}; undefined for other paths. */
export function handleV1(req: SimRequest, state: V1State, error: Reply): SimReply | undefined {
  if (!req.path.startsWith('/v1/')) return undefined;
  const notFound = () => error(404, 20404, `The requested resource ${req.path.slice(3)} was not found`);
  if (req.method !== 'GET') return notFound();
  const service = /^\/v1\/Services\/([^/]+)(\/ChannelSenders)?$/.exec(req.path);
  if (service) {
    const s = state.services.get(service[1]!);
    if (!s) return notFound();
    return { status: 200, body: service[2] ? channelSendersJson(state.accountSid, s, req.query) : serviceJson(state.accountSid, s) };
  }
  const content = /^\/v1\/Content\/([^/]+)$/.exec(req.path);
  if (content) {
    const c = state.contents.get(content[1]!);
    return c ? { status: 200, body: contentJson(state.accountSid, c) } : notFound();
  }
  return notFound();
}

export function newService(friendlyName: string, senders: string[], now: number, sid = newSid('MG')): SimService {
  return { sid, friendlyName, senders, createdAt: now };
}
