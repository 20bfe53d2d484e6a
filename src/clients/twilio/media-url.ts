/**
 * Which URLs rolplay may fetch inbound media from, decided before any request. A webhook's
 * MediaUrl0 is only as trustworthy as its signature, and a request with the account's
 * credentials to a host someone chose would hand them over, so:
 * - the first request (the one with Basic auth) goes only to the configured Twilio API origin
 *   (twilio.apiBaseUrl, else https://api.twilio.com), and only to this account's Message Media
 *   path: /2010-04-01/Accounts/{AC}/Messages/{SID}/Media/{ME} (Twilio's Media subresource,
 *   https://www.twilio.com/docs/messaging/api/media-resource). Any other path on that origin
 *   (Messages.json, the account) would be answered with the same credentials: refused too
 *   (the gap reviewers found in chatwoot/chatwoot#15464).
 * - a redirect is followed only to Twilio's media CDN over https (*.twiliocdn.com: Twilio
 *   answers 307 to media.twiliocdn.com, codeforamerica/vita-min#563, or mms.twiliocdn.com,
 *   Abilityai/trinity#1932), or, when apiBaseUrl names another origin (a simulator, a proxy),
 *   to that same origin. Those URLs are pre-signed (an x-amz-security-token in the query, as
 *   vita-min#563 shows), so they never get the credentials.
 */
export const TWILIO_API_ORIGIN = 'https://api.twilio.com';

export interface MediaUrlPolicy {
  /** Origin and path prefix of the Twilio REST API in use. */
  apiBase: URL;
  accountSid: string;
}

export function mediaUrlPolicy(apiBaseUrl: string | undefined, accountSid: string): MediaUrlPolicy {
  return { apiBase: new URL(apiBaseUrl ? apiBaseUrl.replace(/\/+$/, '') : TWILIO_API_ORIGIN), accountSid };
}

/** The media URL to request with credentials, or why it is refused (no request is made then). */
export function checkMediaUrl(raw: string, policy: MediaUrlPolicy): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.origin !== policy.apiBase.origin) return { ok: false, reason: `host ${url.host} is not the Twilio API (${policy.apiBase.host})` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'the URL carries credentials of its own' };
  const prefix = policy.apiBase.pathname.replace(/\/+$/, '');
  const path = new RegExp(`^${escape(prefix)}/2010-04-01/Accounts/${escape(policy.accountSid)}/Messages/[A-Z]{2}[0-9a-fA-F]{32}/Media/ME[0-9a-fA-F]{32}$`);
  if (!path.test(url.pathname)) return { ok: false, reason: 'not a Message Media path of this account' };
  return { ok: true, url };
}

/** May a redirect from the media URL be followed to `target` (without credentials)? */
export function isMediaRedirectTarget(target: URL, policy: MediaUrlPolicy): boolean {
  if (target.username !== '' || target.password !== '') return false;
  if (target.protocol === 'https:' && (target.hostname === 'twiliocdn.com' || target.hostname.endsWith('.twiliocdn.com'))) return true;
  // A simulator or proxy named in twilio.apiBaseUrl serves its media itself.
  return policy.apiBase.origin !== TWILIO_API_ORIGIN && target.origin === policy.apiBase.origin;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
