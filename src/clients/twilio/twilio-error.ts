import { ProviderError, errorMessage, parseRetryAfter } from '../../support/errors.js';

/** What the wrapper knows about the failed call, so the message can say what to fix. */
export interface TwilioCallContext {
  /** "send", "list" or "account": a lost answer is ambiguous only for a send. */
  operation: 'send' | 'list' | 'account' | 'service';
  baseUrl: string;
  timeoutMs: number;
  /** Retry-After header of the failed response, when one was seen. */
  retryAfterHeader?: string;
  /** Secrets to scrub from any text that ends up in a message. */
  secrets: string[];
}

/** Codes whose fix is a setting, not a retry: the message names the key. */
const FIXES: Record<number, string> = {
  20003: 'set twilio.accountSid and twilio.authToken (or TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN) to the values in Twilio Console > Account info',
  20404: 'check twilio.accountSid (or TWILIO_ACCOUNT_SID): Twilio does not know this account',
  21211: "the recipient's phone number is not a valid WhatsApp number: fix it with `rolplay user add --phone` (E.164, e.g. +34612345678)",
  21212: 'set twilio.whatsappFrom (or TWILIO_WHATSAPP_FROM) to your WhatsApp sender, e.g. whatsapp:+14155238886',
  63007: 'set twilio.whatsappFrom (or TWILIO_WHATSAPP_FROM) to a WhatsApp sender enabled on this account',
  21655: 'check twilio.templates.* : the Content SID is not valid (HX followed by 32 hex characters, from Twilio Console > Content Template Builder)',
  21656: 'check twilio.templates.* : the template variables do not match the approved template',
  63016: 'the recipient has not written in the last 24 hours, so WhatsApp only accepts an approved template: set twilio.templates.welcome / plan / reminder / digest to approved Content SIDs',
  21701: 'set twilio.messagingServiceSid (or TWILIO_MESSAGING_SERVICE_SID) to a Messaging Service of this account (Twilio Console > Messaging > Services), or leave it empty',
  21610: 'the recipient has opted out (replied STOP); they must opt in again before rolplay can message them',
};

/** Codes that usually come later, in a status callback, rather than from the REST call. */
const DELIVERY_HINTS: Record<number, string> = {
  63003: 'WhatsApp could not find the recipient: check that the salesperson\'s number has WhatsApp (`rolplay user list`; fix it with `rolplay user add --phone`)',
  63024: 'the recipient is not a valid WhatsApp user: check the salesperson\'s number (`rolplay user list`; fix it with `rolplay user add --phone`)',
  30008: 'Twilio or WhatsApp gave no reason; if it repeats, look the message up in Twilio Console > Monitor > Messaging logs',
};

/** What to do about a Twilio error code, for messages to the operator (undefined when unknown). */
export function twilioErrorHint(code: number): string | undefined {
  return FIXES[code] ?? DELIVERY_HINTS[code];
}

/** Rate limits that Twilio reports with a 4xx code of its own rather than HTTP 429. */
const RATE_CODES = new Set([20429, 63018, 14107]);

/**
 * Turns whatever the twilio SDK (or axios beneath it) threw into a ProviderError: 429/5xx and
 * network failures are retryable, other 4xx are not (providerCode = Twilio's code), and a send
 * whose answer was lost after the request went out is ambiguous, so the caller checks Twilio's
 * message log before sending again.
 */
export function toTwilioError(error: unknown, context: TwilioCallContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const scrub = (text: string) => context.secrets.reduce((t, s) => (s ? t.split(s).join('[redacted]') : t), text);
  const status = numberOr(readField(error, 'status'));
  if (status !== undefined && status >= 100) {
    const code = numberOr(readField(error, 'code'));
    const twilioMessage = scrub(stringOr(readField(error, 'message')) ?? `HTTP ${status}`).slice(0, 300);
    const label = `Twilio ${code !== undefined ? `error ${code}` : `HTTP ${status}`}`;
    const base = { provider: 'twilio' as const, status, providerCode: code ?? status, cause: error };
    if (status === 429 || status >= 500 || (code !== undefined && RATE_CODES.has(code))) {
      const retryAfterMs = parseRetryAfter(context.retryAfterHeader);
      const what = status >= 500 ? `Twilio had a server error (${label}: ${twilioMessage})` : `Twilio is rate limiting rolplay (${label}: ${twilioMessage})`;
      // A 500/502/504 on a send may come after Twilio queued the message; 503 and 429 refuse it.
      const ambiguous = context.operation === 'send' && status >= 500 && status !== 503;
      return new ProviderError(`${what}; will retry`, { ...base, retryable: true, retryAfterMs, ambiguous, code: status >= 500 ? 'TWILIO_SERVER' : 'TWILIO_RATE_LIMIT' });
    }
    if (status === 401 || code === 20003) {
      return new ProviderError(`Twilio refused the credentials (${label}: ${twilioMessage}): ${FIXES[20003]}`, { ...base, retryable: false, code: 'TWILIO_AUTH' });
    }
    const fix = context.operation === 'service' && (code === 20404 || status === 404)
      ? 'set twilio.messagingServiceSid (or TWILIO_MESSAGING_SERVICE_SID) to a Messaging Service of this account (Twilio Console > Messaging > Services), or leave it empty'
      : code !== undefined ? FIXES[code] : undefined;
    const errorCode = code === 63016 ? 'TWILIO_OUTSIDE_WINDOW' : 'TWILIO_REJECTED';
    return new ProviderError(`Twilio rejected the ${context.operation === 'send' ? 'message' : 'request'} (${label}: ${twilioMessage})${fix ? `: ${fix}` : ''}`, { ...base, retryable: false, code: errorCode });
  }

  const netCode = stringOr(readField(error, 'code')) ?? stringOr(readField(readField(error, 'cause'), 'code'));
  const text = scrub(errorMessage(error)).slice(0, 200);
  const timedOut = netCode === 'ECONNABORTED' || netCode === 'ETIMEDOUT' || /timeout/i.test(text);
  // Refused / unknown host: the request never left, so sending again cannot duplicate it.
  const neverSent = netCode === 'ECONNREFUSED' || netCode === 'ENOTFOUND' || netCode === 'EAI_AGAIN' || netCode === 'EHOSTUNREACH';
  const ambiguous = context.operation === 'send' && !neverSent;
  const suffix = ambiguous ? ' (the message may have been sent; rolplay checks before resending)' : '';
  if (timedOut) {
    return new ProviderError(`Twilio did not answer within ${Math.round(context.timeoutMs / 1000)} s${suffix}`, { provider: 'twilio', retryable: true, ambiguous, cause: error, code: 'TWILIO_TIMEOUT' });
  }
  return new ProviderError(`cannot reach Twilio at ${context.baseUrl} (${netCode ?? text}): check twilio.apiBaseUrl and the network${suffix}`, { provider: 'twilio', retryable: true, ambiguous, cause: error, code: 'TWILIO_UNREACHABLE' });
}

function readField(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function numberOr(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
