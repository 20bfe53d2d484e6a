import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../support/logger.js';
import type { ReceiveResult } from '../../lifecycle/whatsapp/receive-inbound.js';
import type { StatusCallbackResult } from '../../lifecycle/whatsapp/receive-delivery-status.js';
import type { HttpRoute } from './http-listener.js';
import { readForm } from './read-form.js';
import { respond } from './respond.js';

export const WEBHOOK_PATH = '/whatsapp-webhook';
/** Twilio's message status callbacks (the StatusCallback rolplay sets on every message it sends). */
export const STATUS_PATH = '/twilio-status';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** What the signature check needs; repeated form fields stay arrays, as Twilio signed them. */
export interface SignatureInput {
  url: string;
  params: Record<string, string | string[]>;
  signature: string | undefined;
  /** X-Twilio-Webhooks-Signature-Settings (selects HMAC-SHA256), when sent. */
  signatureSettings: string | undefined;
}

export interface TwilioRoutesOptions {
  /** The public base address Twilio calls (server.publicUrl): signatures are computed over it. */
  publicUrl: string;
  maxBodyBytes: number;
  /** false only with twilio.validateSignatures = false (warned about at start). */
  validateSignatures: boolean;
  verifySignature: (check: SignatureInput) => boolean;
  /** `receivedAt`: when the request came in, before its body was read and checked. */
  onInbound: (params: Record<string, string>, receivedAt: number) => Promise<ReceiveResult>;
  /** POST /twilio-status, signed like the webhook; without it that path is 404. */
  onStatus?: (params: Record<string, string>) => Promise<StatusCallbackResult>;
  logger: Logger;
  /** The daemon's clock (Date.now by default): stamps when each request came in. */
  now?: () => number;
}

type FormHandler = (params: Record<string, string>, receivedAt: number) => Promise<ReceiveResult | StatusCallbackResult>;

/**
 * Twilio's WhatsApp webhook and its message status callbacks. Both are thin and share every
 * check: size and type, the signature, then the lifecycle stores what came in and the answer
 * is an empty TwiML at once; the work (a reply, a fallback template) happens later in durable
 * jobs.
 */
export function twilioRoutes(options: TwilioRoutesOptions): HttpRoute[] {
  const log = options.logger;
  const refusals = refusalLog(log);
  // Computed once: the ack path only appends the path Twilio called.
  const base = publicBase(options.publicUrl);
  const route = (path: string, handle: FormHandler): HttpRoute => ({ path, methods: ['POST'], handle: (req, res) => receive(req, res, handle) });

  const now = options.now ?? Date.now;

  async function receive(req: IncomingMessage, res: ServerResponse, handle: FormHandler): Promise<void> {
    // Stamped first: under load, reading the body and checking its signature take event-loop turns,
    // and a sender's messages reaching two daemons 20 ms apart must keep their order (receive-inbound.ts).
    const receivedAt = now();
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return refuseUnread(req, res, 415, 'expected application/x-www-form-urlencoded');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > options.maxBodyBytes) return refuseUnread(req, res, 413, 'payload too large');
    const form = await readForm(req, options.maxBodyBytes);
    if (form === 'too-large') return respond(res, 413, 'text/plain', 'payload too large', { Connection: 'close' });
    if (form === 'gone') {
      // Cut off by our own timeouts, a broken chunk or the client itself: nobody to answer,
      // and nothing wrong on our side worth an error line.
      log.debug('client went away before sending the whole request');
      return;
    }
    if (options.validateSignatures) {
      const signature = header(req, 'x-twilio-signature');
      const url = base + (req.url ?? '/');
      if (!options.verifySignature({ url, params: form.signed, signature, signatureSettings: header(req, 'x-twilio-webhooks-signature-settings') })) {
        refusals.note(signature !== undefined);
        return respond(res, 403, 'text/plain', 'invalid signature');
      }
    }
    const result = await handle(form.params, receivedAt);
    if (result.status === 'invalid') return respond(res, 400, 'text/plain', result.problem);
    respond(res, 200, 'text/xml', EMPTY_TWIML);
  }

  const routes = [route(WEBHOOK_PATH, options.onInbound)];
  if (options.onStatus) routes.push(route(STATUS_PATH, options.onStatus));
  return routes;
}

/**
 * The URL Twilio signed: the public base plus the path and query it called. server.publicUrl
 * may be the base ("https://coach.example.com/rolplay") or, as some set-ups have it, the
 * webhook's full address ("https://coach.example.com/rolplay/whatsapp-webhook").
 */
export function publicUrlFor(publicUrl: string, requestUrl: string): string {
  return publicBase(publicUrl) + requestUrl;
}

/** The StatusCallback URL rolplay gives Twilio with each message it sends. */
export function statusCallbackUrl(publicUrl: string): string {
  return publicBase(publicUrl) + STATUS_PATH;
}

function publicBase(publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return base.endsWith(WEBHOOK_PATH) ? base.slice(0, -WEBHOOK_PATH.length) : base;
}

/** Answers without reading a body we refuse, and closes the connection (the rest is discarded). */
function refuseUnread(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  respond(res, status, 'text/plain', text, { Connection: 'close' });
  req.resume();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A wrong signature is worth a warning (a misconfigured publicUrl or authToken looks like this),
 * but anyone can send forged requests: at most one line a minute, with the count since the last.
 */
function refusalLog(log: Logger, everyMs = 60_000): { note(hadSignature: boolean): void } {
  let lastAt = -Infinity;
  let unlogged = 0;
  return {
    note(hadSignature) {
      const now = Date.now();
      if (now - lastAt < everyMs) {
        unlogged++;
        return;
      }
      log.warn({ hasSignature: hadSignature, alsoRefusedSinceLastWarning: unlogged || undefined }, 'webhook refused: X-Twilio-Signature does not match (check server.publicUrl and twilio.authToken)');
      lastAt = now;
      unlogged = 0;
    },
  };
}
