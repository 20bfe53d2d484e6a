/**
 * The message catalogue: every fixed text rolplay sends a salesperson, one catalogue per
 * language (en.ts, es.ts). A catalogue is typed as Messages, so a missing key fails the build,
 * and test/domain/messages checks the same at run time. No I/O.
 */
export interface Messages {
  /** BCP 47 locale handed to Intl for dates, plurals and lists ("en-GB", "es-MX"). */
  locale: string;
  /** How a salesperson may name this language on WhatsApp ("es", "español", "spanish"). */
  names: readonly string[];
  /** Voice notes and other media (issue 14). */
  voice: VoiceMessages;
}

/** Texts about media a salesperson sends: voice notes in, anything else refused. */
export interface VoiceMessages {
  /** An image, a document or anything that is not audio. */
  unsupportedMedia: string;
  /** The voice note could not be downloaded (gone, refused, too large, too slow, a forged link). */
  couldNotFetch: string;
  /** Gemini heard silence, noise or nothing it could make out (or could not transcribe at all). */
  notUnderstood: string;
  /** Longer than conversation.maxVoiceSeconds; `limit` is already worded ("3 minutes"). */
  tooLong: (limit: string) => string;
  /** Put before the outcome confirmation when the outcome came as a voice note: what was understood. */
  heard: (transcript: string) => string;
}
