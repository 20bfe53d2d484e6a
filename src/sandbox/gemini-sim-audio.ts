import type { GeminiScriptItem, GeminiSimCall } from './gemini-simulator.js';
import { TRANSCRIPT_TAG } from './ogg-opus-file.js';

/**
 * How the Gemini simulator "listens": a request with inline audio (an inlineData part with an
 * audio mime type, as the Gemini API takes audio: https://ai.google.dev/gemini-api/docs/audio)
 * is answered with what the recording says, read from the TRANSCRIPT_TAG comment that
 * ogg-opus-file.ts writes into the file's OpusTags. A recording without one is unintelligible:
 * an empty transcript, understood false. The answer fills the requested schema (fields named
 * transcript and understood get these values), or is the bare transcript as text.
 */
export interface SimAudio {
  mimeType: string;
  bytes: Buffer;
}

/** Gemini's documented audio input types (the page above); others get 400 INVALID_ARGUMENT. */
export const SIM_AUDIO_TYPES = new Set(['audio/wav', 'audio/mp3', 'audio/mpeg', 'audio/aiff', 'audio/aac', 'audio/ogg', 'audio/flac']);

export function audioReply(call: GeminiSimCall): GeminiScriptItem | undefined {
  const audio = call.audio[0];
  if (!audio) return undefined;
  const said = spokenText(audio.bytes);
  if (!call.schema) return said ? { text: said } : { finish: 'OTHER' };
  return { patch: { transcript: said ?? '', understood: said !== undefined } };
}

/** The transcript carried by an Ogg Opus file: the value of its TRANSCRIPT_TAG comment. */
export function spokenText(bytes: Buffer): string | undefined {
  const tag = Buffer.from(`${TRANSCRIPT_TAG}=`, 'utf8');
  const at = bytes.indexOf(tag);
  // A Vorbis comment is length-prefixed (32-bit little-endian) in OpusTags (RFC 7845 5.2).
  if (at < 4) return undefined;
  const length = bytes.readUInt32LE(at - 4);
  if (length < tag.length || at + length > bytes.length) return undefined;
  const text = bytes.subarray(at + tag.length, at + length).toString('utf8').trim();
  return text === '' ? undefined : text;
}
