/** How many characters a piece of long command output holds, at least (the last one may hold fewer). */
const PIECE = 64 * 1024;

export interface JoinOptions {
  separator?: string;
  /** Text before the first part (a header, "["), and after the last ("]"). */
  open?: string;
  close?: string;
}

/**
 * `open + [...parts].join(separator) + close`, handed out in pieces of about 64 KiB as the parts
 * come: a long list is written while it is read, and never exists as one string (which would be
 * copied again into one buffer to write). Yields nothing when all of it is empty.
 */
export function* joinedInPieces(parts: Iterable<string>, { separator = '', open = '', close = '' }: JoinOptions = {}): Generator<string, void, undefined> {
  let text = open;
  let first = true;
  for (const part of parts) {
    text += first ? part : `${separator}${part}`;
    first = false;
    if (text.length >= PIECE) {
      yield text;
      text = '';
    }
  }
  text += close;
  if (text !== '') yield text;
}
