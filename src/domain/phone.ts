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

/**
 * Numbers WhatsApp may report for the same person: Mexico's legacy "+521" mobile prefix,
 * Argentina's mobile "9" after +54, and Brazilian mobiles with or without the ninth digit.
 * Used to recognise an inbound sender whatever form they registered with.
 */
export function equivalentPhones(e164: string): string[] {
  const n = fromWhatsAppAddress(e164).replace(/[^\d+]/g, '');
  const out = new Set([n]);
  let m: RegExpMatchArray | null;
  if ((m = n.match(/^\+521(\d{10})$/))) out.add(`+52${m[1]}`);
  if ((m = n.match(/^\+52(\d{10})$/))) out.add(`+521${m[1]}`);
  if ((m = n.match(/^\+549(\d{10})$/))) out.add(`+54${m[1]}`);
  if ((m = n.match(/^\+54([1-8]\d{9})$/))) out.add(`+549${m[1]}`);
  if ((m = n.match(/^\+55(\d{2})9(\d{8})$/))) out.add(`+55${m[1]}${m[2]}`);
  if ((m = n.match(/^\+55(\d{2})([6-9]\d{7})$/))) out.add(`+55${m[1]}9${m[2]}`);
  return [...out];
}
