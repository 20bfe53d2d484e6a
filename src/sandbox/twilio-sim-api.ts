import type { FaultPlan, RunningSim } from './http-sim.js';
import type { SimMessage, UnsentPosition } from './twilio-sim-messages.js';
import type { SimMediaApi } from './twilio-sim-media.js';

/** What startTwilioSimulator takes and what a test drives it with (twilio-simulator.ts). */
export interface TwilioSimOptions {
  /** Generated when omitted (never hard-code a real-looking SID). */
  accountSid?: string;
  authToken?: string;
  friendlyName?: string;
  /** Clock for date_created/date_sent, so tests with a FakeClock line up. */
  now?: () => number;
  /** Recipients (E.164, with or without "whatsapp:") who have not written in the last 24 h. */
  outsideWindow?: Iterable<string>;
  /**
   * How a free-form message to such a recipient fails: 'reject' = HTTP 400 with code 63016 at
   * once; 'fail-later' = accepted as queued, then failed with error_code 63016 on settle()
   * (and in the status callback). Templates (ContentSid) are always accepted.
   */
  outsideWindowMode?: 'reject' | 'fail-later';
  /**
   * Where a status callback is really posted, given the StatusCallback URL the message was
   * created with. Twilio calls the public address (server.publicUrl/twilio-status) and signs
   * that; a test maps it to the daemon's loopback listener. The signature stays over the
   * StatusCallback URL, as Twilio's does. Default: post to the StatusCallback URL itself.
   */
  callbackTarget?: (statusCallback: string) => string;
  /** Where an outbound MediaUrl is really fetched (like callbackTarget); default the URL itself. */
  mediaTarget?: (mediaUrl: string) => string;
  faults?: FaultPlan;
  port?: number;
  /** Where messages with no DateSent yet sit in the Messages list (unverified: see listMessages). */
  unsentPosition?: UnsentPosition;
  /** Messaging Services of the account, with the channel senders in their pools. */
  messagingServices?: Array<{ sid?: string; friendlyName?: string; senders: string[] }>;
  /** Content templates by SID; any other well-formed HX SID is accepted with an invented body. */
  contents?: Record<string, { body: string; variables?: Record<string, string>; friendlyName?: string }>;
}

export interface TwilioSim extends RunningSim, SimMediaApi {
  accountSid: string;
  authToken: string;
  /** Every message created, in creation order. */
  messages: SimMessage[];
  /** Messages to one number (E.164 or whatsapp:+...). */
  sentTo(number: string): SimMessage[];
  /** Next `count` creates get Twilio's 429 (code 20429) with Retry-After. */
  throttleNext(count?: number, retryAfterSeconds?: number): void;
  /** Next create gets this Twilio error (e.g. 400 / 21610). */
  rejectNext(status: number, code: number, message: string): void;
  openWindow(number: string): void;
  closeWindow(number: string): void;
  /** Moves queued messages to delivered (or failed: 63016) and posts their status callbacks. */
  settle(): Promise<void>;
  /**
   * Posts the status callback of one message again, as it stands or with another status (and
   * error code): Twilio delivering a callback twice, or out of order.
   */
  postStatus(sid: string, override?: { status: SimMessage['status']; errorCode?: number | null }): Promise<StatusCallbackPost>;
  /** Every status callback posted, in order, with the answer it got. */
  callbacks: StatusCallbackPost[];
  /** Adds a Messaging Service whose pool holds these senders; returns its MG SID. */
  addMessagingService(senders: string[], friendlyName?: string): string;
  /** Defines a Content template (twilio/text) the simulator renders into the message body. */
  defineContent(sid: string, body: string, variables?: Record<string, string>): void;
  /**
   * Holds every message in Twilio's queue (no DateSent) until released: an account whose queue
   * is backed up. Otherwise a queued message counts as sent (DateSent set) the next time anyone
   * reads the list, as WhatsApp messages usually leave the queue within a second or so.
   */
  holdQueue(held: boolean): void;
  /** Resolves when the media of every message created so far has been fetched (or failed to be). */
  mediaFetched(): Promise<void>;
  /** Adds a message as if created long ago, without a request (tests that need thousands). */
  seed(message: Partial<SimMessage> & { to: string; body: string; dateCreated: number }): SimMessage;
}

export interface StatusCallbackPost {
  sid: string;
  status: string;
  /** The StatusCallback URL (what was signed). */
  url: string;
  /** The HTTP status of the answer, or the network error. */
  answer: number | string;
}
