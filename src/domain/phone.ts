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
  const normalized = raw.replace(/^00(?=[1-9])/, '+');
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

/** "whatsapp:+14155552671" for an E.164 number (idempotent). */
export function toWhatsAppAddress(e164: string): string {
  return e164.startsWith('whatsapp:') ? e164 : `whatsapp:${e164}`;
}

/** "+14155552671" from "whatsapp:+14155552671" (or the number itself). */
export function fromWhatsAppAddress(address: string): string {
  return address.replace(/^whatsapp:/i, '').trim();
}

/** "+1 415 *** **71": enough to recognise a number in logs without exposing it. */
export function maskPhone(e164: string): string {
  const digits = fromWhatsAppAddress(e164);
  if (digits.length < 6) return '***';
  return `${digits.slice(0, 3)}***${digits.slice(-2)}`;
}
