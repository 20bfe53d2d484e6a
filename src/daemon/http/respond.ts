import type { ServerResponse } from 'node:http';

/**
 * Answers with a whole body and its length. A response already started (a handler answered,
 * then failed) is left alone: the first answer is the one the client sees.
 */
export function respond(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
