/**
 * Splits text into WhatsApp-sized parts (Twilio refuses bodies over 1,600 characters) at the
 * most natural boundary that fits: paragraphs first, then lines, sentences, words, and only
 * for a single word longer than the limit, characters (whole graphemes: an emoji or a
 * surrogate pair is never cut). Order is preserved; CRLF is read as a line break.
 *
 * Lengths are counted in UTF-16 code units (String.length), which is never less than what
 * Twilio counts, so a part that fits here fits there.
 */
export interface SplitOptions {
  /** Prefix each part with "(1/3) " when there is more than one; the prefix fits within limit. */
  numbered?: boolean;
}

export const TWILIO_BODY_LIMIT = 1600;

interface Level {
  split: (text: string) => string[];
  joiner: string;
}

const LEVELS: Level[] = [
  { split: (t) => t.split(/\n[ \t]*\n\s*/), joiner: '\n\n' },
  { split: (t) => t.split('\n'), joiner: '\n' },
  // After . ! ? … and the CJK 。！？ (escaped: the built CLI is an ASCII file, see scripts/bundle.js).
  { split: (t) => t.split(/(?<=[.!?\u2026\u3002\uFF01\uFF1F])\s+/), joiner: ' ' },
  { split: (t) => t.split(/[ \t]+/), joiner: ' ' },
];

export function splitMessage(text: string, limit: number = TWILIO_BODY_LIMIT, options: SplitOptions = {}): string[] {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`splitMessage: limit must be a positive integer, got ${limit}`);
  const normalised = text.replace(/\r\n?/g, '\n').trim();
  if (normalised === '') return [];
  if (normalised.length <= limit) return [normalised];
  if (!options.numbered) return pack(normalised, limit, 0);

  // The prefix length depends on the number of parts, which depends on the room left: iterate.
  let total = 2;
  for (let attempt = 0; attempt < 5; attempt++) {
    const reserve = `(${total}/${total}) `.length;
    if (reserve >= limit) return pack(normalised, limit, 0);
    const parts = pack(normalised, limit - reserve, 0);
    if (String(parts.length).length <= String(total).length) {
      return parts.map((p, i) => `(${i + 1}/${parts.length}) ${p}`);
    }
    total = parts.length;
  }
  return pack(normalised, limit, 0);
}

/** Greedy packing of the pieces of one level; a piece too long on its own goes one level down. */
function pack(text: string, limit: number, level: number): string[] {
  if (text.length <= limit) return text.trim() === '' ? [] : [text];
  const current = LEVELS[level];
  if (!current) return hardSplit(text, limit);
  const pieces = current.split(text).filter((p) => p.trim() !== '');
  if (pieces.length <= 1) return pack(text, limit, level + 1);
  const parts: string[] = [];
  let buffer = '';
  for (const piece of pieces) {
    if (piece.length > limit) {
      if (buffer) parts.push(buffer);
      buffer = '';
      parts.push(...pack(piece, limit, level + 1));
      continue;
    }
    const candidate = buffer ? buffer + current.joiner + piece : piece;
    if (candidate.length <= limit) {
      buffer = candidate;
    } else {
      parts.push(buffer);
      buffer = piece;
    }
  }
  if (buffer) parts.push(buffer);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Last resort for one enormous word (a URL, a token): cut between graphemes. */
function hardSplit(text: string, limit: number): string[] {
  const parts: string[] = [];
  let buffer = '';
  for (const grapheme of graphemes(text)) {
    if (buffer.length + grapheme.length > limit && buffer) {
      parts.push(buffer);
      buffer = '';
    }
    if (grapheme.length > limit) {
      // A grapheme cluster longer than the limit (only with absurdly small limits): split by code point.
      for (const codePoint of grapheme) {
        if (buffer.length + codePoint.length > limit && buffer) {
          parts.push(buffer);
          buffer = '';
        }
        buffer += codePoint;
      }
      continue;
    }
    buffer += grapheme;
  }
  if (buffer) parts.push(buffer);
  return parts;
}

export function graphemes(text: string): string[] {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}
