import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { verifyTwilioSignature } from '../../../src/clients/twilio/verify-signature.js';
import { inboundWhatsAppParams, sendInboundWhatsApp, signTwilioRequest } from '../../../src/sandbox/twilio-webhook.js';

const authToken = '0123456789abcdef'.repeat(2);
const accountSid = 'AC' + 'c'.repeat(32);
const PUBLIC = 'https://coach.example.com/whatsapp-webhook';

/** A receiver like the daemon's: checks the signature against the PUBLIC url, not the loopback one. */
let server: Server;
let url: string;
let seen: Array<{ valid: boolean; params: Record<string, string> }>;
beforeEach(async () => {
  seen = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const valid = verifyTwilioSignature({ authToken, signature: req.headers['x-twilio-signature'] as string | undefined, url: PUBLIC, params });
      seen.push({ valid, params });
      res.writeHead(valid ? 200 : 403, { 'Content-Type': 'text/xml' });
      res.end(valid ? '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' : '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/whatsapp-webhook`;
});
afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

describe('Twilio webhook signatures', () => {
  it('the helper signs like Twilio: the real validateRequest accepts it', () => {
    const params = inboundWhatsAppParams({ accountSid, from: '+34612345678', body: 'roleplay' });
    const signature = signTwilioRequest(authToken, PUBLIC, params);
    expect(twilio.validateRequest(authToken, signature, PUBLIC, params)).toBe(true);
    expect(verifyTwilioSignature({ authToken, signature, url: PUBLIC, params })).toBe(true);
  });

  it('a tampered parameter, another URL, another token or no signature fails', () => {
    const params = inboundWhatsAppParams({ accountSid, from: '+34612345678', body: 'roleplay' });
    const signature = signTwilioRequest(authToken, PUBLIC, params);
    expect(verifyTwilioSignature({ authToken, signature, url: PUBLIC, params: { ...params, Body: 'stop' } })).toBe(false);
    expect(twilio.validateRequest(authToken, signature, PUBLIC, { ...params, Body: 'stop' })).toBe(false);
    expect(verifyTwilioSignature({ authToken, signature, url: 'https://evil.example.com/whatsapp-webhook', params })).toBe(false);
    expect(verifyTwilioSignature({ authToken: 'f'.repeat(32), signature, url: PUBLIC, params })).toBe(false);
    expect(verifyTwilioSignature({ authToken, signature: undefined, url: PUBLIC, params })).toBe(false);
    expect(verifyTwilioSignature({ authToken, signature, url: 'not a url', params })).toBe(false);
  });

  it('honours the HMAC-SHA256 signature settings header and refuses unknown algorithms', () => {
    const params = { MessageSid: 'SM' + '1'.repeat(32), Body: 'hi' };
    const sha256 = twilio.getExpectedTwilioSignature(authToken, PUBLIC, params, twilio.HMAC_SHA256);
    expect(verifyTwilioSignature({ authToken, signature: sha256, url: PUBLIC, params, signatureSettings: 'algorithm=HMAC_SHA256' })).toBe(true);
    expect(verifyTwilioSignature({ authToken, signature: sha256, url: PUBLIC, params })).toBe(false);
    expect(verifyTwilioSignature({ authToken, signature: sha256, url: PUBLIC, params, signatureSettings: 'algorithm=HMAC_MD5' })).toBe(false);
  });

  it('posts a signed inbound WhatsApp form to the loopback URL, signed over the public URL', async () => {
    const result = await sendInboundWhatsApp({ url, publicUrl: PUBLIC, authToken, accountSid, from: '+34612345678', body: 'Hola', profileName: 'Sara' });
    expect(result.status).toBe(200);
    expect(seen[0]!.valid).toBe(true);
    expect(seen[0]!.params).toMatchObject({
      MessageSid: result.messageSid, SmsMessageSid: result.messageSid, SmsSid: result.messageSid, AccountSid: accountSid,
      From: 'whatsapp:+34612345678', To: 'whatsapp:+14155238886', Body: 'Hola', NumMedia: '0', ProfileName: 'Sara',
      WaId: '34612345678', SmsStatus: 'received', NumSegments: '1', ApiVersion: '2010-04-01',
    });
    expect(result.messageSid).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('signed over the loopback URL instead of the public one, or tampered after signing: rejected', async () => {
    const loopbackSigned = await sendInboundWhatsApp({ url, authToken, accountSid, from: '+34612345678', body: 'Hola' });
    expect(loopbackSigned.status).toBe(403);
    const tampered = await sendInboundWhatsApp({ url, publicUrl: PUBLIC, authToken, accountSid, from: '+34612345678', body: 'Hola', tamper: (p) => ({ ...p, From: 'whatsapp:+34600000000' }) });
    expect(tampered.status).toBe(403);
    const forged = await sendInboundWhatsApp({ url, publicUrl: PUBLIC, authToken, accountSid, from: '+34612345678', body: 'Hola', signature: 'AAAA' });
    expect(forged.status).toBe(403);
  });
});
