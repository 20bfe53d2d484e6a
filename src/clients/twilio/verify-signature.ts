import twilio from 'twilio';

export interface SignatureCheck {
  authToken: string;
  /** X-Twilio-Signature as received (missing -> invalid). */
  signature: string | undefined | null;
  /** The PUBLIC url Twilio called (server.publicUrl + path + query), not the loopback one. */
  url: string;
  /** Every POST parameter exactly as received (repeated keys as arrays). */
  params: Record<string, string | string[]>;
  /** X-Twilio-Webhooks-Signature-Settings, when present (selects HMAC-SHA256). */
  signatureSettings?: string | null;
}

/**
 * True when the request was signed by Twilio with this auth token. Delegates to the twilio
 * library's validateRequest, which compares in constant time and tolerates the port
 * variants Twilio may have signed. Never throws: a malformed URL or an unknown algorithm is
 * simply not valid.
 */
export function verifyTwilioSignature(check: SignatureCheck): boolean {
  if (!check.signature || !check.authToken) return false;
  const algorithm = twilio.getSignatureAlgorithm(check.signatureSettings ?? undefined);
  // validateRequest would console.warn about an algorithm it does not know; refuse it here.
  if (algorithm !== twilio.HMAC_SHA1 && algorithm !== twilio.HMAC_SHA256) return false;
  try {
    return twilio.validateRequest(check.authToken, check.signature, check.url, check.params, algorithm);
  } catch {
    return false;
  }
}
