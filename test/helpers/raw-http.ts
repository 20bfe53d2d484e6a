import { connect } from 'node:net';

/**
 * A deliberately dumb HTTP/1.1 client on a raw socket, for requests no real client would send
 * (garbage request lines, broken headers, bodies that lie about their length) and for clients
 * that send slowly. A pause part waits on the wall clock: the server's timeouts it provokes
 * are real time too.
 */
export type Part = string | Buffer | { pauseMs: number };

export interface RawReply {
  /** The final (non-1xx) status the server sent, or null when it closed without answering. */
  status: number | null;
  /** The server did not close the connection within the limit. */
  hung: boolean;
  ms: number;
  /** The start of what came back, for failure messages. */
  head: string;
}

export function rawExchange(port: number, parts: Part[], limitMs: number): Promise<RawReply> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    let done = false;
    const finish = (hung: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      resolve({ status: finalStatus(text), hung, ms: Date.now() - started, head: text.slice(0, 120) });
    };
    const timer = setTimeout(() => finish(true), limitMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('close', () => finish(false));
    // EPIPE / ECONNRESET once the server has refused and closed: 'close' follows.
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      void (async () => {
        for (const part of parts) {
          if (done || socket.destroyed) return;
          if (typeof part === 'object' && !Buffer.isBuffer(part)) {
            await new Promise<void>((r) => {
              const wake = () => {
                clearTimeout(pause);
                socket.off('close', wake);
                r();
              };
              const pause = setTimeout(wake, part.pauseMs);
              socket.once('close', wake);
            });
          } else if (!socket.write(part)) {
            await new Promise((r) => {
              socket.once('drain', r);
              socket.once('close', r);
            });
          }
        }
      })();
    });
  });
}

/** The status of the first final response (1xx interim answers such as 100 Continue skipped). */
export function finalStatus(text: string): number | null {
  let at = 0;
  for (;;) {
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(text.slice(at));
    if (!match) return null;
    const status = Number(match[1]);
    if (status >= 200) return status;
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) return null;
    at = end + 4;
  }
}

/** A request as bytes: request line, Host and Connection: close unless given, then the body. */
export function httpRequest(request: {
  method?: string;
  path?: string;
  headers?: Array<[string, string]>;
  body?: string | Buffer;
  /** Leave Content-Length out (the body is then sent as given, e.g. hand-made chunks). */
  noLength?: boolean;
}): Buffer {
  const headers = request.headers ?? [];
  const has = (name: string) => headers.some(([k]) => k.toLowerCase() === name);
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body ?? Buffer.alloc(0);
  const lines = [`${request.method ?? 'POST'} ${request.path ?? '/whatsapp-webhook'} HTTP/1.1`];
  if (!has('host')) lines.push('Host: coach.example.com');
  if (!has('connection')) lines.push('Connection: close');
  if (!request.noLength && !has('content-length') && !has('transfer-encoding')) lines.push(`Content-Length: ${body.length}`);
  for (const [k, v] of headers) lines.push(`${k}: ${v}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}
