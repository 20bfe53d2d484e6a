import { randomBytes } from 'node:crypto';
import { encodeVoiceNote } from '../../domain/voice-note.js';
import { errorMessage } from '../../support/errors.js';
import type { Services } from '../services.js';
import { reply, type InboundTurn } from './inbound-context.js';
import { isConfigured } from '../../config/schema.js';

/**
 * How long Twilio may fetch a spoken reply. Twilio fetches media when it takes the message,
 * seconds after the send; the margin covers a backed-up queue. A send retried later renews it
 * (send-whatsapp.ts), so a short life costs nothing and leaves little audio lying around.
 */
export const VOICE_MEDIA_TTL_MS = 15 * 60_000;
/** GET <server.publicUrl>/media/<id> serves a clip (daemon/http/media-route.ts). */
export const MEDIA_PATH = '/media/';

/** Which replies are spoken: the role-played client's, or the coach's too. */
export type SpokenKind = 'roleplay' | 'coach';

/**
 * Answers a turn with `text`, spoken as a WhatsApp voice note as well when conversation.voiceReplies
 * asks for it: the salesperson spoke (the turn was a voice note), it is a role-play answer
 * (`roleplay`) or any answer (`always`), and Twilio can fetch the audio (server.publicUrl set).
 * The text always goes: as the voice note's body, or alone when speech could not be made.
 */
export async function replyAloud(turn: InboundTurn, text: string, kind: SpokenKind): Promise<void> {
  const mediaId = wantsVoice(turn, kind) ? await speakClip(turn.services, text, turn.user.language) : undefined;
  await reply(turn, text, kind, undefined, mediaId);
}

export function wantsVoice(turn: Pick<InboundTurn, 'services' | 'voice'>, kind: SpokenKind): boolean {
  const mode = turn.services.config.conversation.voiceReplies;
  if (!turn.voice || mode === 'off' || (mode === 'roleplay' && kind !== 'roleplay')) return false;
  return Boolean(turn.services.speech) && voiceRepliesServable(turn.services.config);
}

/** Twilio fetches media by URL: without server.publicUrl there is nowhere to serve a clip from. */
export function voiceRepliesServable(config: Services['config']): boolean {
  return config.server.publicUrl !== '';
}

/** Why conversation.voiceReplies, switched on, cannot work (the start-up log and doctor say it). */
export function voiceRepliesProblem(config: Services['config']): string | undefined {
  const mode = config.conversation.voiceReplies;
  if (mode === 'off') return undefined;
  if (!voiceRepliesServable(config)) return `conversation.voiceReplies is "${mode}" but server.publicUrl is not set: Twilio fetches voice notes by URL, so replies go as text only until it is`;
  if (!isConfigured.gemini(config)) return `conversation.voiceReplies is "${mode}" but Gemini is not configured (gemini.apiKey): replies go as text only`;
  return undefined;
}

/**
 * Speaks `text` in the salesperson's language and stores the clip for GET /media/<id>. Returns
 * its id, or undefined (logged) when speech or encoding failed: the reply then goes as text.
 */
export async function speakClip(services: Pick<Services, 'speech' | 'store' | 'clock' | 'logger'>, text: string, language: string | undefined): Promise<string | undefined> {
  if (!services.speech) return undefined;
  try {
    const spoken = await services.speech.speak({ text, language });
    const note = await encodeVoiceNote(spoken.audio, spoken.mimeType);
    // 144 random bits, URL-safe: the URL is all that guards the clip, and nobody can guess it.
    const id = randomBytes(18).toString('base64url');
    const now = services.clock.now();
    await services.store.voiceMedia.add({ id, contentType: note.contentType, bytes: note.bytes, expiresAt: now + VOICE_MEDIA_TTL_MS }, now);
    services.logger.debug({ bytes: note.bytes.length, seconds: Math.round(note.seconds * 10) / 10 }, 'voice reply ready');
    return id;
  } catch (error) {
    services.logger.warn({ err: errorMessage(error), code: (error as { code?: unknown }).code }, 'could not speak the reply; it goes as text only');
    return undefined;
  }
}

/** Where Twilio fetches a clip: server.publicUrl (a webhook URL given there counts as its base) + /media/<id>. */
export function mediaUrlFor(publicUrl: string, mediaId: string): string {
  const base = publicUrl.replace(/\/+$/, '').replace(/\/whatsapp-webhook$/, '');
  return `${base}${MEDIA_PATH}${mediaId}`;
}

/**
 * The URL of a clip about to be sent, its life renewed for Twilio's fetch (a send may run long
 * after the clip was made: a retry, a backed-up queue). Undefined, logged, when the clip is gone
 * or server.publicUrl was unset since: the text then goes alone.
 */
export async function servedMediaUrl(services: Pick<Services, 'config' | 'store' | 'clock' | 'logger'>, mediaId: string): Promise<string | undefined> {
  const { publicUrl } = services.config.server;
  if (!voiceRepliesServable(services.config)) {
    services.logger.warn('a voice reply goes as text only: server.publicUrl is not set, so Twilio could not fetch the audio');
    return undefined;
  }
  if (!(await services.store.voiceMedia.renew(mediaId, services.clock.now() + VOICE_MEDIA_TTL_MS))) {
    services.logger.warn('a voice reply goes as text only: its audio expired before the send');
    return undefined;
  }
  return mediaUrlFor(publicUrl, mediaId);
}
