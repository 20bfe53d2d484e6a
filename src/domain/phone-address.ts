/*
 * Phone helpers that need no numbering metadata: WhatsApp address forms, masking, and the
 * equivalent forms WhatsApp reports. Apart from phone.ts (which parses with libphonenumber's
 * full metadata, over 200 KB to load and compile) so that the store and commands that never
 * parse a number, such as `rolplay user list`, start without it.
 */

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
