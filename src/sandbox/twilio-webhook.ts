import twilio from 'twilio';
import { newSid } from './twilio-sim-messages.js';

/**
 * Plays Twilio's side of a webhook: a form-encoded POST signed the way Twilio signs it
 * (X-Twilio-Signature over the PUBLIC url the sender is configured with, which behind a proxy
 * differs from the loopback URL the request actually reaches). The signature comes from the
 * twilio library itself, so a verifier that disagrees with Twilio fails these tests.
 */
export interface SignedPost {
  /** Where the request is sent (e.g. http://127.0.0.1:PORT/whatsapp-webhook). */
  url: string;
  /** What Twilio signs (e.g. https://coach.example.com/whatsapp-webhook); default `url`. */
  publicUrl?: string;
  params: Record<string, string>;
  authToken: string;
  /** Replace the computed signature (forgeries) or send none (null). */
  signature?: string | null;
  /** Change the form after signing (tampering). */
  tamper?: (params: Record<string, string>) => Record<string, string>;
  timeoutMs?: number;
}

export interface PostResult {
  status: number;
  body: string;
  headers: Headers;
  signature: string;
  params: Record<string, string>;
}

export function signTwilioRequest(authToken: string, publicUrl: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, publicUrl, params);
}

export async function postSignedForm(post: SignedPost): Promise<PostResult> {
  const signature = signTwilioRequest(post.authToken, post.publicUrl ?? post.url, post.params);
  const sent = post.tamper ? post.tamper({ ...post.params }) : post.params;
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
    'User-Agent': 'TwilioProxy/1.1',
    'I-Twilio-Idempotency-Token': newSid('').slice(0, 36),
  };
  const sig = post.signature === undefined ? signature : post.signature;
  if (sig !== null) headers['X-Twilio-Signature'] = sig;
  const res = await fetch(post.url, {
    method: 'POST',
    headers,
    body: new URLSearchParams(sent).toString(),
    signal: AbortSignal.timeout(post.timeoutMs ?? 10_000),
  });
  return { status: res.status, body: await res.text(), headers: res.headers, signature: sig ?? '', params: sent };
}

export interface InboundWhatsApp {
  url: string;
  publicUrl?: string;
  authToken: string;
  accountSid: string;
  /** The salesperson's number, E.164 ("+34612345678"); "whatsapp:" is added. */
  from: string;
  body: string;
  /** Our WhatsApp sender; default the Twilio sandbox number. */
  to?: string;
  profileName?: string;
  /** Reuse a SID to simulate Twilio delivering the same message twice. */
  messageSid?: string;
  /** Extra or overriding form fields. */
  extra?: Record<string, string>;
  signature?: string | null;
  tamper?: SignedPost['tamper'];
}

/** The form Twilio posts for an inbound WhatsApp text message. */
export function inboundWhatsAppParams(msg: Omit<InboundWhatsApp, 'url' | 'publicUrl' | 'authToken' | 'signature' | 'tamper'>): Record<string, string> {
  const sid = msg.messageSid ?? newSid('SM');
  const from = msg.from.startsWith('whatsapp:') ? msg.from : `whatsapp:${msg.from}`;
  const to = msg.to ?? 'whatsapp:+14155238886';
  return {
    SmsMessageSid: sid,
    NumMedia: '0',
    ProfileName: msg.profileName ?? 'Sales Person',
    MessageType: 'text',
    SmsSid: sid,
    WaId: from.replace(/^whatsapp:\+?/, ''),
    SmsStatus: 'received',
    Body: msg.body,
    To: to.startsWith('whatsapp:') ? to : `whatsapp:${to}`,
    NumSegments: '1',
    ReferralNumMedia: '0',
    MessageSid: sid,
    AccountSid: msg.accountSid,
    From: from,
    ApiVersion: '2010-04-01',
    ...msg.extra,
  };
}

/** Builds, signs and POSTs an inbound WhatsApp webhook; returns the answer and the MessageSid. */
export async function sendInboundWhatsApp(msg: InboundWhatsApp): Promise<PostResult & { messageSid: string }> {
  const params = inboundWhatsAppParams(msg);
  const result = await postSignedForm({ url: msg.url, publicUrl: msg.publicUrl, params, authToken: msg.authToken, signature: msg.signature, tamper: msg.tamper });
  return { ...result, messageSid: params.MessageSid! };
}
