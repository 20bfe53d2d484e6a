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

/** Both views of the form; a field named __proto__ stays data in each. */
export function parseForm(text: string): Form {
  const form = new URLSearchParams(text);
  const params = Object.fromEntries(form);
  // Null prototype: on a plain object a field named __proto__ would set the prototype
  // instead, drop out of the signed data, and so could be added without breaking it.
  const signed = Object.create(null) as Record<string, string | string[]>;
  // One pass: getAll() per key rescans the whole form, which an unsigned body of
  // thousands of fields turns into seconds of blocked event loop.
  const grouped = new Map<string, string[]>();
  for (const [key, value] of form) {
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  for (const [key, values] of grouped) signed[key] = values.length === 1 ? values[0]! : values;
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
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => resolve('gone'));
  });
}
