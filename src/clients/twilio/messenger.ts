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
}

export interface SentMessage {
  sid: string;
  /** Twilio's status at creation: usually "queued" (or "accepted" with a messaging service). */
  status: string;
}

export interface FindRecentQuery {
  to: string;
  /** Epoch ms: only messages created at or after this moment. */
  since: number;
  /** Only messages whose body contains this text (a marker or the start of the text). */
  bodyContains?: string;
}

export interface RecentMessage {
  sid: string;
  status: string;
  body: string;
  /** Epoch ms, or null when the provider did not say. */
  dateCreated: number | null;
  /** Twilio's error code for failed/undelivered messages (63016 outside the window). */
  errorCode: number | null;
}

export interface AccountInfo {
  friendlyName: string;
  /** "active", "suspended" or "closed". */
  status: string;
}

export interface Messenger {
  send(message: OutgoingMessage): Promise<SentMessage>;
  /** Messages sent from our WhatsApp sender to `to` since a moment: answers "did it go out?". */
  findRecent(query: FindRecentQuery): Promise<RecentMessage[]>;
  checkAccount(): Promise<AccountInfo>;
}
