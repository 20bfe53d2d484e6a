import twilio from 'twilio';
import { inboundWhatsAppParams, signTwilioRequest } from '../../src/sandbox/twilio-webhook.js';
import { httpRequest, type Part } from './raw-http.js';

/**
 * Seeded generators of requests to the WhatsApp webhook, most of them abusive. Every abusive
 * request that carries message fields carries a fresh MessageSid, so one that slipped through
 * would leave a job row behind. Only valid messages and exact replays of them may get a 200.
 */
export type CaseKind =
  | 'valid' | 'replay' | 'method-path-type' | 'garbage-body' | 'unsigned' | 'bad-signature'
  | 'mutated' | 'wrong-url-or-token' | 'oversized' | 'invalid-fields' | 'malformed-http';

export interface WebhookCase {
  kind: CaseKind;
  label: string;
  /** The statuses that are right for this request. */
  expect: readonly number[];
  /** Closing the connection without an answer is right as well. */
  closeOk: boolean;
  /** The request on the wire (abusive cases and replays). */
  parts: Part[];
  /** A valid message: sent with fetch, signed like Twilio; replays reuse its bytes. */
  valid?: { sid: string; params: Record<string, string> };
}

export interface AbuseWorld {
  rng: () => number;
  authToken: string;
  accountSid: string;
  /** The registered salesperson, E.164. */
  from: string;
  /** What Twilio signs: server.publicUrl + the webhook path. */
  signedUrl: string;
  maxBodyBytes: number;
}

const WEIGHTS: Array<[CaseKind, number]> = [
  ['valid', 10], ['replay', 6], ['method-path-type', 10], ['garbage-body', 10], ['unsigned', 6], ['bad-signature', 8],
  ['mutated', 15], ['wrong-url-or-token', 8], ['oversized', 5], ['invalid-fields', 10], ['malformed-http', 12],
];

export function generateCases(world: AbuseWorld, total: number): WebhookCase[] {
  const g = generators(world);
  const cases: WebhookCase[] = [];
  const valids: WebhookCase[] = [];
  const sum = WEIGHTS.reduce((n, [, w]) => n + w, 0);
  while (cases.length < total) {
    let roll = world.rng() * sum;
    const kind = WEIGHTS.find(([, w]) => (roll -= w) < 0)?.[0] ?? 'valid';
    if (kind === 'replay' && valids.length === 0) continue;
    const c = kind === 'replay' ? g.replay(g.pick(valids)) : g[kind]();
    if (kind === 'valid') valids.push(c);
    cases.push(c);
  }
  return cases;
}

export function generators(world: AbuseWorld) {
  const { rng, authToken, signedUrl } = world;
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  const text = () => {
    const pieces = ['hola', 'roleplay', 'stop', 'help', '¿qué tal?', '😀', '👍🏽', '\u0000', '\n', ' ', 'ñ', '&', '=', '%', '+', '漢字', '\ud83d'];
    return Array.from({ length: int(1, 12) }, () => pick(pieces)).join(pick(['', ' ']));
  };
  const message = (extra: Record<string, string> = {}) => inboundWhatsAppParams({
    accountSid: world.accountSid, from: world.from, body: text(), messageSid: `SM${hex(32)}`, extra,
  });
  const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const pair = (key: string, value: string) => new URLSearchParams([[key, value]]).toString();
  const sign = (params: Record<string, string>, url = signedUrl, token = authToken) => signTwilioRequest(token, url, params);
  const formHeaders = (signature?: string): Array<[string, string]> => [
    ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
    ...(signature === undefined ? [] : [['X-Twilio-Signature', signature] as [string, string]]),
  ];
  const post = (body: string | Buffer, headers: Array<[string, string]>, path?: string) => [httpRequest({ body, headers, path })];
  const one = (kind: CaseKind, label: string, expect: number[], parts: Part[], closeOk = false): WebhookCase => ({ kind, label, expect, parts, closeOk });

  return {
    pick,
    valid(): WebhookCase {
      const extra: Record<string, string> = rng() < 0.1 ? { Body: `${'ok '.repeat(int(1000, 1700))}😀` } : {};
      const params = message(extra);
      return { kind: 'valid', label: `valid ${params.MessageSid}`, expect: [200], closeOk: false, parts: [], valid: { sid: params.MessageSid!, params } };
    },
    replay(of: WebhookCase): WebhookCase {
      const params = of.valid!.params;
      return one('replay', `replay ${params.MessageSid}`, [200], post(form(params), formHeaders(sign(params))));
    },
    'method-path-type'(): WebhookCase {
      const params = message();
      const signed = formHeaders(sign(params));
      switch (int(0, 2)) {
        case 0: {
          const method = pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'HEAD']);
          return one('method-path-type', `method ${method}`, [405], [httpRequest({ method, body: form(params), headers: signed })]);
        }
        case 1: {
          const path = pick(['/', '/whatsapp-webhook/', '/WHATSAPP-WEBHOOK', '//whatsapp-webhook', '/whatsapp-webhook/../x', '/whatsapp%2Dwebhook', '/health', '/health/x', '/whatsapp-webhook#x', '*']);
          return one('method-path-type', `path ${path}`, [404], post(form(params), signed, path));
        }
        default: {
          const type = pick(['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencodedx', 'text/xml', 'x-www-form-urlencoded', '']);
          const headers: Array<[string, string]> = [...(type ? [['Content-Type', type] as [string, string]] : []), ['X-Twilio-Signature', sign(params)]];
          return one('method-path-type', `content-type "${type}"`, [415], post(form(params), headers));
        }
      }
    },
    'garbage-body'(): WebhookCase {
      const body = pick([
        () => bytes(int(1, 4000)),
        () => Buffer.from(Array.from({ length: int(1, 2000) }, () => pick(['%', '%G1', '%zz', '%FF', '%00', '%C3', '&', '=', '+', 'a', '%%'])).join('')),
        () => Buffer.from('%FF'.repeat(int(1000, Math.floor(world.maxBodyBytes / 3)))),
        () => Buffer.from(Array.from({ length: int(100, 5000) }, (_, i) => `k${i}=${i}`).join('&')),
        () => Buffer.from(`${'&'.repeat(int(1, 5000))}${'='.repeat(int(0, 5000))}`),
        () => Buffer.from(JSON.stringify(message())),
      ])();
      // Half of them signed over exactly what the server will parse: then they are authentic
      // but carry no usable message, which is a 400, not a row.
      if (rng() < 0.5) return one('garbage-body', `garbage ${body.length} B, unsigned`, [403], post(body, formHeaders(rng() < 0.5 ? undefined : hex(28))));
      return one('garbage-body', `garbage ${body.length} B, signed`, [400], post(body, formHeaders(signParsed(authToken, signedUrl, body))));
    },
    unsigned(): WebhookCase {
      const params = message();
      const headers = rng() < 0.5 ? formHeaders() : formHeaders('');
      return one('unsigned', 'unsigned', [403], post(form(params), headers));
    },
    'bad-signature'(): WebhookCase {
      const params = message();
      const good = sign(params);
      const [label, headers] = pick<() => [string, Array<[string, string]>]>([
        () => ['random base64', formHeaders(Buffer.from(hex(40), 'hex').toString('base64'))],
        () => ['garbage', formHeaders([...text()].map((ch) => (ch >= ' ' && ch <= '~' ? ch : '?')).join(''))],
        () => ['another message', formHeaders(sign(message()))],
        () => ['8 KB', formHeaders('A'.repeat(8000))],
        () => ['case flipped', formHeaders(good.replace(/[a-zA-Z]/, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())))],
        () => ['truncated', formHeaders(good.slice(0, -2))],
        () => ['twice', [...formHeaders(good), ['X-Twilio-Signature', hex(10)]]],
        () => ['SHA-256 settings', [...formHeaders(good), ['X-Twilio-Webhooks-Signature-Settings', 'algorithm=HMAC_SHA256']]],
        () => ['unknown algorithm', [...formHeaders(good), ['X-Twilio-Webhooks-Signature-Settings', 'key=x,algorithm=MD5']]],
      ])();
      return one('bad-signature', `signature ${label}`, [403], post(form(params), headers));
    },
    mutated(): WebhookCase {
      const params = message();
      const signature = sign(params);
      const keys = Object.keys(params);
      const [label, body] = pick<() => [string, string]>([
        () => {
          const i = int(0, params.Body!.length - 1);
          const body = params.Body!;
          return ['Body char flipped', form({ ...params, Body: body.slice(0, i) + (body[i] === 'x' ? 'y' : 'x') + body.slice(i + 1) })];
        },
        () => {
          const key = pick(['__proto__', 'constructor', 'toString', 'Body2', 'MessageSid2', 'X', `f${hex(4)}`]);
          return [`field ${key} added`, `${form(params)}&${pair(key, `v${text()}`)}`];
        },
        () => {
          const key = pick(keys);
          const rest = { ...params };
          delete rest[key];
          return [`field ${key} removed`, form(rest)];
        },
        () => ['From changed', form({ ...params, From: `whatsapp:+1415555${int(1000, 9999)}`, WaId: `1415555${int(1000, 9999)}` })],
        () => ['MessageSid changed', form({ ...params, MessageSid: `SM${hex(32)}` })],
        () => {
          const key = pick(keys);
          const dup = pair(key, `${params[key]}-other`);
          return [`${key} repeated`, rng() < 0.5 ? `${dup}&${form(params)}` : `${form(params)}&${dup}`];
        },
        () => ['key case changed', form(params).replace('Body=', 'body=')],
      ])();
      return one('mutated', label, [403], post(body, formHeaders(signature)));
    },
    'wrong-url-or-token'(): WebhookCase {
      const params = message();
      const base = signedUrl.replace(/\/whatsapp-webhook$/, '');
      if (rng() < 0.2) return one('wrong-url-or-token', 'query not signed', [403], post(form(params), formHeaders(sign(params)), `/whatsapp-webhook?x=${hex(4)}`));
      if (rng() < 0.4) {
        const token = pick([hex(32), authToken.slice(0, -1) + (authToken.endsWith('0') ? '1' : '0'), '', `${authToken} `]);
        return one('wrong-url-or-token', 'other auth token', [403], post(form(params), formHeaders(sign(params, signedUrl, token))));
      }
      const url = pick([
        signedUrl.replace('https:', 'http:'), `${signedUrl}/`, signedUrl.replace('coach.', 'evil.'), `${signedUrl}?x=1`,
        'http://127.0.0.1/whatsapp-webhook', `${base}/other`, signedUrl.toUpperCase(), `${base}/whatsapp-webhook/status`,
      ]);
      return one('wrong-url-or-token', `signed for ${url}`, [403], post(form(params), formHeaders(sign(params, url))));
    },
    oversized(): WebhookCase {
      const params = { ...message(), Body: 'x'.repeat(world.maxBodyBytes) };
      const signed = formHeaders(sign(params));
      const max = world.maxBodyBytes;
      switch (int(0, 2)) {
        case 0: {
          // Declares a huge body and sends only a little of it: refused before reading on.
          const declared = int(max + 1, 2 ** 31);
          const head = httpRequest({ headers: [...signed, ['Content-Length', String(declared)]], body: form(params).slice(0, int(0, 4096)) });
          return one('oversized', `declares ${declared} B`, [413], [head], true);
        }
        case 1:
          return one('oversized', 'full body past the limit', [413], post(form(params), signed), true);
        default: {
          const chunks: Part[] = [httpRequest({ headers: [...signed, ['Transfer-Encoding', 'chunked']], noLength: true })];
          for (let sent = 0; sent <= max;) {
            const size = int(1024, 16 * 1024);
            chunks.push(`${size.toString(16)}\r\n${'y'.repeat(size)}\r\n`);
            sent += size;
          }
          chunks.push('0\r\n\r\n');
          return one('oversized', 'chunked past the limit', [413], chunks, true);
        }
      }
    },
    'invalid-fields'(): WebhookCase {
      const params: Record<string, string> = message();
      const [label, change] = pick<[string, (p: Record<string, string>) => void]>([
        ['no MessageSid', (p) => { delete p.MessageSid; delete p.SmsMessageSid; delete p.SmsSid; }],
        ['MessageSid short', (p) => { p.MessageSid = 'SM123'; }],
        ['MessageSid lower-case prefix', (p) => { p.MessageSid = `sm${hex(32)}`; }],
        ['MessageSid too long', (p) => { p.MessageSid = `SM${hex(33)}`; }],
        ['MessageSid not hex', (p) => { p.MessageSid = `SM${'g'.repeat(32)}`; }],
        ['MessageSid injection', (p) => { p.MessageSid = `SM${hex(30)}' OR 1=1 --`; }],
        ['MessageSid empty', (p) => { p.MessageSid = ''; }],
        ['no From', (p) => { delete p.From; }],
        ['From not a phone', (p) => { p.From = pick(['whatsapp:', 'whatsapp:abc', '+1', '1'.repeat(40), 'sms:+14155550100', 'whatsapp:+1415\n5550100', `<script>${hex(8)}`]); }],
        ['AccountSid of another account', (p) => { p.AccountSid = `AC${hex(32)}`; }],
        ['AccountSid empty', (p) => { p.AccountSid = ''; }],
        ['no Body and no NumMedia', (p) => { delete p.Body; delete p.NumMedia; }],
      ]);
      change(params);
      return one('invalid-fields', label, [400], post(form(params), formHeaders(sign(params))));
    },
    'malformed-http'(): WebhookCase {
      const body = form(message());
      const unsigned = formHeaders();
      const [label, expect, raw] = pick<() => [string, number[], Part[]]>([
        () => ['random bytes', [400], [bytes(int(1, 300)), '\r\n\r\n']],
        () => ['no target', [400], ['GET\r\n\r\n']],
        () => ['HTTP/9.9', [400], [`POST /whatsapp-webhook HTTP/9.9\r\nHost: x\r\n\r\n`]],
        () => ['no HTTP version', [400, 415], ['POST /whatsapp-webhook\r\n\r\n']],
        () => ['lower-case method', [400], [`post /whatsapp-webhook HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`]],
        () => ['no Host', [400], [`POST /whatsapp-webhook HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`]],
        () => ['header without colon', [400], [`POST /whatsapp-webhook HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n`]],
        () => ['space in header name', [400], [`POST /whatsapp-webhook HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n`]],
        () => ['NUL in header', [400], [`POST /whatsapp-webhook HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n`]],
        () => ['bare CR', [400], [`POST /whatsapp-webhook HTTP/1.1\rHost: x\r\n\r\n`]],
        () => ['folded header', [400], [`POST /whatsapp-webhook HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n`]],
        () => ['two Content-Lengths', [400], [httpRequest({ headers: [...unsigned, ['Content-Length', '5'], ['Content-Length', '6']], body: 'abcdef' })]],
        () => ['bad Content-Length', [400], [httpRequest({ headers: [...unsigned, ['Content-Length', pick(['-1', 'abc', '1 2', '0x10', '1e3'])]], body: 'x' })]],
        () => ['Content-Length and chunked', [400], [httpRequest({ headers: [...unsigned, ['Content-Length', '3'], ['Transfer-Encoding', 'chunked']], body: '3\r\nabc\r\n0\r\n\r\n' })]],
        () => ['gzip transfer coding', [400], [httpRequest({ headers: [...unsigned, ['Transfer-Encoding', 'gzip']], noLength: true, body: 'x' })]],
        () => ['bad chunk size', [400], [httpRequest({ headers: [...unsigned, ['Transfer-Encoding', 'chunked']], noLength: true, body: 'zz\r\nabc\r\n0\r\n\r\n' })]],
        () => ['huge header', [431], [httpRequest({ headers: [...unsigned, ['X-Big', 'b'.repeat(int(20_000, 200_000))]], body })]],
        () => ['thousands of headers', [431], [httpRequest({ headers: [...unsigned, ...Array.from({ length: int(3000, 6000) }, (_, i): [string, string] => [`X-H${i}`, 'v'])], body })]],
        () => ['huge URL', [431], [httpRequest({ path: `/whatsapp-webhook?${'q'.repeat(int(20_000, 100_000))}`, headers: unsigned, body })]],
        () => ['CONNECT', [400], ['CONNECT coach.example.com:443 HTTP/1.1\r\nHost: coach.example.com:443\r\n\r\n']],
        () => ['upgrade', [403, 400], [httpRequest({ headers: [...unsigned, ['Connection', 'Upgrade, close'], ['Upgrade', 'websocket']], body })]],
        () => ['expect 100-continue', [403], [httpRequest({ headers: [...unsigned, ['Expect', '100-continue']], body })]],
        () => ['unknown expectation', [417], [httpRequest({ headers: [...unsigned, ['Expect', 'the-unexpected']], body })]],
        // The trailing garbage may be parsed (400) before the first request is answered (403).
        () => ['pipelined garbage', [403, 400], [Buffer.concat([httpRequest({ headers: unsigned, body }), bytes(int(1, 200))])]],
      ])();
      return one('malformed-http', label, expect, raw, true);
    },
  };
}

/** A signature over what the server will parse out of `body` (repeated keys as arrays, as Twilio signs them). */
function signParsed(authToken: string, url: string, body: Buffer): string {
  const form = new URLSearchParams(body.toString('utf8'));
  const params: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of form) {
    const seen = params[key];
    if (seen === undefined) params[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else params[key] = [seen, value];
  }
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}
