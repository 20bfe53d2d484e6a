/**
 * Keeping a CRM body under HubSpot's limit without losing its ends. No I/O.
 *
 * HubSpot stores at most 65,536 characters of hs_note_body ("The note's text content, limited
 * to 65,536 characters": https://developers.hubspot.com/docs/api/crm/notes) and of any text
 * property set through the CRM (https://knowledge.hubspot.com/properties/property-field-types-in-hubspot;
 * the tasks guide names no limit of its own for hs_task_body). What is past the limit is cut,
 * so rolplay's idempotency marker, which sits in the last line, would go first. Instead the
 * longest free-text fields are shortened in their middle until the whole body, counted after
 * HTML escaping and with its tags, fits the budget.
 *
 * Not verified: whether HubSpot counts UTF-16 code units (as Java and JavaScript do), code
 * points or bytes, and whether its rich-text sanitizer lengthens a body (attributes added to
 * tags, entities). The budget counts UTF-16 code units, which is never fewer than code points,
 * and keeps 5,536 characters of headroom for the sanitizer.
 */
export const HUBSPOT_TEXT_LIMIT = 65_536;
export const CRM_BODY_BUDGET = 60_000;

/** A field shorter than this is left whole: the cut note must still say something. */
const MIN_FIELD = 160;

/** Literal HTML (counted as is) or a text field (escaped, and shortened when the body is too long). */
export type BodyPart = string | { text: string };

export function textField(text: string): { text: string } {
  return { text };
}

/**
 * Joins the parts, escaping the text fields; when the result is longer than `budget`, shortens
 * the longest field in its middle, then the next, until it fits. Literal parts (tags, the
 * marker) are never touched.
 */
export function fitBody(parts: BodyPart[], budget: number, escape: (text: string) => string): string {
  const texts = parts.map((p) => (typeof p === 'string' ? null : p.text));
  const size = (i: number) => (texts[i] === null ? (parts[i] as string).length : escape(texts[i]!).length);
  const total = () => parts.reduce((sum, _, i) => sum + size(i), 0);
  const settled = new Set<number>();
  for (let over = total() - budget; over > 0; over = total() - budget) {
    let longest = -1;
    for (let i = 0; i < parts.length; i++) {
      if (texts[i] !== null && !settled.has(i) && (longest === -1 || size(i) > size(longest))) longest = i;
    }
    if (longest === -1) break;
    settled.add(longest);
    const current = size(longest);
    const target = Math.max(MIN_FIELD, current - over);
    if (target < current) texts[longest] = shortenMiddle(texts[longest]!, target, escape);
  }
  return parts.map((p, i) => (texts[i] === null ? (p as string) : escape(texts[i]!))).join('');
}

/**
 * The text with its middle replaced by "[… N characters left out …]" so that its escaped form
 * is at most `max` characters. Cuts between code points, never inside a surrogate pair, and
 * before escaping, so no entity is split.
 */
export function shortenMiddle(text: string, max: number, escape: (text: string) => string = (t) => t): string {
  if (escape(text).length <= max) return text;
  const chars = Array.from(text);
  const gap = (n: number) => ` [… ${n.toLocaleString('en-US')} characters left out …] `;
  const room = max - gap(chars.length).length;
  if (room <= 0) {
    // Too small for the gap note (never the case inside fitBody): the head alone.
    let end = 0;
    for (let used = 0; end < chars.length && used + escape(chars[end]!).length <= max; end++) used += escape(chars[end]!).length;
    return chars.slice(0, end).join('');
  }
  let head = 0;
  for (let used = 0; head < chars.length; head++) {
    const w = escape(chars[head]!).length;
    if (used + w > Math.ceil(room / 2)) break;
    used += w;
  }
  let tail = chars.length;
  for (let used = 0; tail > head; tail--) {
    const w = escape(chars[tail - 1]!).length;
    if (used + w > Math.floor(room / 2)) break;
    used += w;
  }
  return `${chars.slice(0, head).join('').trimEnd()}${gap(tail - head)}${chars.slice(tail).join('').trimStart()}`;
}
