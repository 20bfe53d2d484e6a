/**
 * What rolplay needs from a WhatsApp provider, in plain domain types. Lifecycle code sees only
 * this interface; src/clients/twilio/ implements it over the twilio SDK, and tests may pass a
 * fake. Failures are ProviderError (provider 'twilio').
 */
export interface OutgoingMessage {
  /** E.164 ("+34612345678") or already prefixed ("whatsapp:+34612345678"). */
  to: string;
  /** Free text, at most 1,600 characters (split longer text with splitMessage first). */
  body?: string;
  /** An approved Content template ("HX..."), used outside the 24-hour window. */
  contentSid?: string;
  /** Template variables by position or name; values must already be flattened. */
  contentVariables?: Record<string, string>;
  /**
   * A public URL Twilio fetches and sends as the message's media (a voice note), with `body`
   * alongside. WhatsApp takes one media item per message.
   */
  mediaUrl?: string;
}

export interface SentMessage {
  sid: string;
  /** Twilio's status at creation: usually "queued" (or "accepted" with a messaging service). */
  status: string;
}

/** One part rolplay may already have sent: exactly its text, or exactly its template and variables. */
export type SentPart = { body: string } | { contentSid: string; variables: Record<string, string> };

export interface FindSentQuery {
  to: string;
  /** Epoch ms: the send was attempted at or after this moment (allow for clock skew). */
  since: number;
  part: SentPart;
}

export interface SentLookup {
  /** Messages to `to` since `since` that are this part, newest first. */
  matches: RecentMessage[];
  /**
   * Messages the lookup could not judge yet: to `to`, with no DateSent (still in Twilio's
   * queue). Where Twilio lists these is not documented; see find-sent-messages.ts.
   */
  unsent: number;
}

export interface RecentMessage {
  sid: string;
  status: string;
  body: string;
  /** Epoch ms, or null when the provider did not say. */
  dateCreated: number | null;
  /** Epoch ms; null while the message is still queued. */
  dateSent: number | null;
  /** Twilio's error code for failed/undelivered messages (63016 outside the window). */
  errorCode: number | null;
}

export interface MessagingServiceInfo {
  sid: string;
  friendlyName: string;
  /** Channel senders in the service's pool ("whatsapp:+14155238886", "messenger:..."). */
  senders: string[];
}

export interface AccountInfo {
  friendlyName: string;
  /** "active", "suspended" or "closed". */
  status: string;
}

/** The media of an inbound message, downloaded (never stored). */
export interface FetchedMedia {
  bytes: Buffer;
  /** The Content-Type the media host answered with, lower-case, without parameters ('' when none). */
  contentType: string;
}

export interface Messenger {
  send(message: OutgoingMessage): Promise<SentMessage>;
  /** Messages from our WhatsApp sender to `to` since a moment that are this part: "did it go out?". */
  findSent(query: FindSentQuery): Promise<SentLookup>;
  checkAccount(): Promise<AccountInfo>;
  /** The configured Messaging Service and its sender pool; undefined when none is configured. */
  checkMessagingService(): Promise<MessagingServiceInfo | undefined>;
  /**
   * Downloads an inbound message's MediaUrl0 (a voice note). Only URLs on the configured
   * Twilio API origin are requested; see fetch-media.ts for the limits and error codes.
   */
  fetchMedia(url: string): Promise<FetchedMedia>;
}
