import { graphemes } from './split-message.js';

/**
 * WhatsApp template variables may not contain newlines or tabs, nor more than four spaces in a
 * row (Twilio error 21656 / Meta rejects the message), and must not be empty. This turns any
 * text (a meeting title, a client name, the start of a plan) into a value that is accepted:
 * all whitespace runs become one space, and text over maxLen is cut at a word boundary (or
 * between graphemes for one long word) with an ellipsis.
 */
export const EMPTY_VARIABLE = '-';

export function flattenTemplateVariable(text: string, maxLen: number = 1024): string {
  if (!Number.isInteger(maxLen) || maxLen < 1) throw new RangeError(`flattenTemplateVariable: maxLen must be a positive integer, got ${maxLen}`);
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  if (flat === '') return EMPTY_VARIABLE;
  if (flat.length <= maxLen) return flat;
  const ellipsis = '…';
  const room = maxLen - ellipsis.length;
  if (room < 1) return truncateGraphemes(flat, maxLen);
  const cut = truncateGraphemes(flat, room);
  const endsAtWord = flat[cut.length] === ' ';
  const lastSpace = cut.lastIndexOf(' ');
  // Prefer a word boundary unless that throws away most of the room.
  const atWord = endsAtWord || lastSpace < room / 2 ? cut : cut.slice(0, lastSpace);
  return atWord.trimEnd() + ellipsis;
}

/** The longest prefix of whole graphemes within maxLen UTF-16 units. */
function truncateGraphemes(text: string, maxLen: number): string {
  let out = '';
  for (const g of graphemes(text)) {
    if (out.length + g.length > maxLen) break;
    out += g;
  }
  return out;
}
