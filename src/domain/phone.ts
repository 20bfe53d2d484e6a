import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * Parses a phone number as people type it: E.164 ("+34 612 34 56 78"), national format
 * ("(415) 555-2671") with the default country, "00" international prefixes, or Twilio's
 * "whatsapp:+..." address. Returns E.164 or a reason that shows the expected form.
 */
export function parsePhone(input: string, defaultCountry: string = 'US'): PhoneResult {
  const raw = input.trim().replace(/^whatsapp:/i, '').trim();
  if (raw === '') return { ok: false, reason: 'the phone number is empty' };
  let normalized = raw.replace(/^00(?=[1-9])/, '+');
  // Mexican mobiles written with the old "1" after the country code (+52 1 55...), as WhatsApp
  // still reports them: the current numbering plan drops it.
  const compact = normalized.replace(/[^\d+]/g, '');
  if (/^\+521\d{10}$/.test(compact)) normalized = `+52${compact.slice(4)}`;
  const country = defaultCountry.toUpperCase() as CountryCode;
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(normalized, normalized.startsWith('+') ? undefined : country);
  } catch {
    parsed = undefined;
  }
  const example = `expected an international number like +14155552671, or a national number in ${country}`;
  if (!parsed) return { ok: false, reason: `"${input}" is not a phone number: ${example}` };
  if (!parsed.isValid()) return { ok: false, reason: `"${input}" is not a valid phone number: ${example}` };
  return { ok: true, e164: parsed.number };
}

export { equivalentPhones, fromWhatsAppAddress, maskPhone, toWhatsAppAddress } from './phone-address.js';
