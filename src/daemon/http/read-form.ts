import type { IncomingMessage } from 'node:http';

/** A form-encoded body, parsed once for both of its readers. */
export interface Form {
  /** Each field's last value, as the lifecycle reads them. */
  params: Record<string, string>;
  /** Every field as received, repeated ones as arrays in order: the data Twilio signed. */
  signed: Record<string, string | string[]>;
}

/**
 * Reads and parses an application/x-www-form-urlencoded body of at most `limit` bytes:
 * 'too-large' past the limit (the rest is discarded), 'gone' when the request broke off.
 */
export async function readForm(req: IncomingMessage, limit: number): Promise<Form | 'too-large' | 'gone'> {
  const body = await readLimited(req, limit);
  return typeof body === 'string' ? body : parseForm(body.text);
}

/**
 * One pass over the fields. getAll() per key would rescan the whole form, which an unsigned
 * body of thousands of fields turns into seconds of blocked event loop; and the separate
 * Object.fromEntries() pass cost as much as the parse itself on a typical webhook.
 */
export function parseForm(text: string): Form {
  // Null prototype: on a plain object a field named __proto__ would set the prototype
  // instead, drop out of the signed data, and so could be added without breaking it.
  const signed = Object.create(null) as Record<string, string | string[]>;
  const params: Record<string, string> = {};
  new URLSearchParams(text).forEach((value, key) => {
    const earlier = signed[key];
    if (earlier === undefined) signed[key] = value;
    else if (typeof earlier === 'string') signed[key] = [earlier, value];
    else earlier.push(value);
    // An own property even for __proto__, as Object.fromEntries() made it.
    if (key === '__proto__') Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true });
    else params[key] = value;
  });
  return { params, signed };
}

function readLimited(req: IncomingMessage, limit: number): Promise<{ text: string } | 'too-large' | 'gone'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the rest is discarded and the connection closed after the 413.
        req.off('data', onData);
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    // A webhook body nearly always arrives in one chunk: decode it without copying.
    req.on('end', () => resolve({ text: (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8') }));
    req.on('error', () => resolve('gone'));
  });
}
