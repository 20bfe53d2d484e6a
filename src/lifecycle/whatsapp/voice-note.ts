import { messagesFor } from '../../domain/messages/index.js';
import { oggOpusDurationSeconds } from '../../domain/ogg-duration.js';
import { ProviderError, errorMessage, isRetryable } from '../../support/errors.js';
import { transcribeAudio } from '../../clients/gemini/transcribe-audio.js';
import type { MeetingRow, UserRow } from '../../store/database.js';
import type { InboundPayload } from '../jobs/job-kinds.js';
import type { JobContext } from '../jobs/job-contract.js';
import type { Services } from '../services.js';

/** What a message with media amounts to: the words of a voice note, or the one reply to send instead. */
export type HeardMedia =
  | { ok: true; transcript: string }
  | { ok: false; reply: string; problem: string };

/**
 * A voice note becomes text: the first media item, when it is audio, is downloaded through the
 * Messenger (which refuses any URL off the configured Twilio API origin before a request),
 * checked against conversation.maxVoiceSeconds (Ogg Opus playing time from its bytes), and
 * transcribed by the model with the meeting's names as spelling hints. The audio lives only in
 * memory here: never stored, never logged.
 *
 * Anything else gets one short reply in the salesperson's language: an image or document, a
 * download that failed, a note too long, or one the model could not make out. A transient
 * failure (Twilio or Gemini unreachable, 5xx, timeout) is thrown while the job has attempts
 * left, so the runner retries it; on the last attempt it becomes the reply, so nobody is left
 * without an answer. Each failure is logged once, when its reply is chosen.
 */
export async function hearVoiceNote(
  services: Services,
  ctx: Pick<JobContext<InboundPayload>, 'attempt' | 'job' | 'logger'>,
  payload: InboundPayload,
  user: UserRow,
  meeting: MeetingRow | undefined,
): Promise<HeardMedia> {
  const text = messagesFor(user.language).voice;
  const refuse = (reply: string, problem: string, detail: Record<string, unknown> = {}): HeardMedia => {
    ctx.logger.warn({ user: user.id, problem, ...detail }, 'could not use the media of a WhatsApp message; asked the salesperson to type or resend');
    return { ok: false, reply, problem };
  };
  const media = payload.media;
  if (!media) return refuse(text.couldNotFetch, 'no MediaUrl0');
  if (!bareType(media.contentType).startsWith('audio/')) {
    ctx.logger.info({ user: user.id, contentType: media.contentType }, 'media other than audio: told the salesperson what rolplay reads');
    return { ok: false, reply: text.unsupportedMedia, problem: 'not audio' };
  }
  if (!services.messenger) return refuse(text.couldNotFetch, 'Twilio is not configured (twilio.accountSid, twilio.authToken)');
  if (!services.model) return refuse(text.notUnderstood, 'Gemini is not configured (gemini.apiKey)');
  const lastAttempt = ctx.attempt >= ctx.job.max_attempts;

  let audio: { bytes: Buffer; mimeType: string };
  try {
    const fetched = await services.messenger.fetchMedia(media.url);
    // The media host's type when it names audio; the webhook's otherwise (both came from Twilio).
    // Without parameters ("audio/ogg; codecs=opus" -> "audio/ogg"): Gemini lists bare types.
    const served = bareType(fetched.contentType);
    audio = { bytes: fetched.bytes, mimeType: served.startsWith('audio/') ? served : bareType(media.contentType) };
  } catch (error) {
    if (isRetryable(error) && !lastAttempt) throw error;
    return refuse(text.couldNotFetch, 'download failed', { code: codeOf(error), err: errorMessage(error) });
  }

  const maxSeconds = services.config.conversation.maxVoiceSeconds;
  const seconds = oggOpusDurationSeconds(audio.bytes);
  if (seconds !== undefined && seconds > maxSeconds) {
    return refuse(text.tooLong(spokenLimit(maxSeconds, messagesFor(user.language).locale)), 'too long', { seconds: Math.round(seconds), maxSeconds });
  }

  try {
    const heard = await transcribeAudio(services.model, { audio, hints: await nameHints(services, user, meeting), language: user.language });
    if (!heard.understood) return refuse(text.notUnderstood, 'not understood');
    ctx.logger.debug({ user: user.id, seconds, chars: heard.text.length }, 'voice note transcribed');
    return { ok: true, transcript: heard.text };
  } catch (error) {
    if (isRetryable(error) && !lastAttempt) throw error;
    return refuse(text.notUnderstood, 'transcription failed', { code: codeOf(error), err: errorMessage(error) });
  }
}

/** The names a voice note about this meeting may mention, for the transcription's spelling. */
async function nameHints(services: Services, user: UserRow, meeting: MeetingRow | undefined): Promise<string[]> {
  const hints = [user.name];
  if (!meeting) return hints;
  hints.push(meeting.title);
  for (const c of await services.store.clients.forMeeting(meeting.id)) {
    if (c.name) hints.push(c.name);
    if (c.company) hints.push(c.company);
  }
  return hints;
}

/** "3 minutes", "90 seconds", "3 minutos": whole minutes when the limit is one. */
export function spokenLimit(seconds: number, locale: string): string {
  const minutes = seconds % 60 === 0;
  return new Intl.NumberFormat(locale, { style: 'unit', unit: minutes ? 'minute' : 'second', unitDisplay: 'long' }).format(minutes ? seconds / 60 : seconds);
}

function codeOf(error: unknown): string | undefined {
  return error instanceof ProviderError ? error.code : undefined;
}

/** A MIME type without its parameters, lower case: "Audio/OGG; codecs=opus" -> "audio/ogg". */
function bareType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}
