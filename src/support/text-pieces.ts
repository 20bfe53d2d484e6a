/** How many characters a piece of long command output holds, at least (the last one may hold fewer). */
const PIECE = 64 * 1024;

/**
 * `[...parts].join(separator)`, handed out in pieces of about 64 KiB as the parts come: a long
 * list is written while it is read, and never exists as one string (which would be copied again
 * into one buffer to write). Yields nothing for no parts.
 */
export function* joinedInPieces(parts: Iterable<string>, separator = ''): Generator<string, void, undefined> {
  let text = '';
  let first = true;
  for (const part of parts) {
    text += first ? part : `${separator}${part}`;
    first = false;
    if (text.length >= PIECE) {
      yield text;
      text = '';
    }
  }
  if (text !== '') yield text;
}
