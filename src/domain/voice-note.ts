/**
 * Turns the audio Gemini's speech generation returns into a file WhatsApp plays.
 *
 * Gemini TTS answers with 16-bit mono PCM at 24 kHz: raw, as `audio/L16;codec=pcm;rate=24000`
 * (the 2.5 and 3.1 models), or as a whole WAV file (the 3.8 models' unary answers: Gemini TTS
 * migration guide, "Default output"). Its samples are little-endian (Google's samples write them
 * straight into a WAV file), whatever RFC 2586 says about L16. WhatsApp through Twilio takes
 * audio only as OGG (Opus), AMR, 3GP, AAC or MPEG (twilio.com/docs/whatsapp/guidance-whatsapp-media-messages,
 * "Supported MIME Types"), so the PCM is encoded as MP3 (audio/mpeg) with LAME (lamejs, pure JS).
 * Pure: bytes in, bytes out. LAME loads on the first clip only, so commands that never speak
 * (every one but `rolplay start` with voice replies on) do not pay for it.
 */
export interface VoiceNote {
  bytes: Uint8Array;
  contentType: string;
  /** Length of the speech, in seconds. */
  seconds: number;
}

export class AudioFormatError extends Error {}

/** Audio WhatsApp already plays goes out as it came. */
const PLAYABLE = new Set(['audio/mpeg', 'audio/ogg', 'audio/amr', 'audio/aac', 'audio/3gpp']);
/** Sample rates MPEG-1/2 Layer III can carry. */
const MP3_RATES = new Set([8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]);
/** Plenty for one voice at 24 kHz; a minute of speech is about 360 KB (WhatsApp allows 16 MB). */
const KBPS = 48;
/** lamejs encodes best in multiples of one MP3 frame's samples. */
const CHUNK = 1152 * 8;

interface Pcm {
  samples: Int16Array;
  rate: number;
}

export async function encodeVoiceNote(audio: Uint8Array, mimeType: string): Promise<VoiceNote> {
  const type = mimeType.split(';')[0]!.trim().toLowerCase();
  if (PLAYABLE.has(type)) return { bytes: audio, contentType: type, seconds: 0 };
  const pcm = type === 'audio/wav' || type === 'audio/x-wav' || type === 'audio/wave' ? readWav(audio) : readRawPcm(audio, mimeType);
  if (pcm.samples.length === 0) throw new AudioFormatError('the speech has no samples');
  if (!MP3_RATES.has(pcm.rate)) throw new AudioFormatError(`cannot encode ${pcm.rate} Hz audio as MP3`);
  const { Mp3Encoder } = await import('@breezystack/lamejs');
  const encoder = new Mp3Encoder(1, pcm.rate, KBPS);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < pcm.samples.length; i += CHUNK) parts.push(encoder.encodeBuffer(pcm.samples.subarray(i, i + CHUNK)));
  parts.push(encoder.flush());
  return { bytes: concat(parts), contentType: 'audio/mpeg', seconds: pcm.samples.length / pcm.rate };
}

/** audio/L16;codec=pcm;rate=24000 (or audio/pcm): mono 16-bit little-endian samples. */
function readRawPcm(audio: Uint8Array, mimeType: string): Pcm {
  const type = mimeType.split(';')[0]!.trim().toLowerCase();
  if (type !== 'audio/l16' && type !== 'audio/pcm') throw new AudioFormatError(`cannot turn ${type || 'audio of no type'} into a voice note`);
  const params = new Map(mimeType.split(';').slice(1).map((p) => p.split('=').map((x) => x.trim().toLowerCase()) as [string, string]));
  const rate = Number(params.get('rate') ?? 24_000);
  const channels = Number(params.get('channels') ?? 1);
  if (!Number.isInteger(rate) || rate <= 0 || (channels !== 1 && channels !== 2)) throw new AudioFormatError(`unsupported PCM parameters in ${mimeType}`);
  return { samples: toMono(readInt16(audio, 0, audio.length), channels), rate };
}

/** A RIFF/WAVE file of 16-bit PCM: the fmt chunk says how, the data chunk holds the samples. */
function readWav(audio: Uint8Array): Pcm {
  const view = new DataView(audio.buffer, audio.byteOffset, audio.byteLength);
  const tag = (at: number) => String.fromCharCode(...audio.subarray(at, at + 4));
  if (audio.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new AudioFormatError('not a WAV file');
  let format: { channels: number; rate: number } | undefined;
  for (let at = 12; at + 8 <= audio.length;) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      const codec = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (codec !== 1 || bits !== 16) throw new AudioFormatError(`WAV with format ${codec} and ${bits}-bit samples is not 16-bit PCM`);
      format = { channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true) };
    } else if (id === 'data') {
      if (!format) throw new AudioFormatError('WAV data before its fmt chunk');
      // A streamed WAV may give 0 or 0xFFFFFFFF as the size: the data then runs to the end.
      const end = size === 0 || body + size > audio.length ? audio.length : body + size;
      return { samples: toMono(readInt16(audio, body, end), format.channels), rate: format.rate };
    }
    at = body + size + (size % 2);
  }
  throw new AudioFormatError('WAV file without a data chunk');
}

function readInt16(audio: Uint8Array, start: number, end: number): Int16Array {
  const count = Math.floor((end - start) / 2);
  const view = new DataView(audio.buffer, audio.byteOffset + start, count * 2);
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

function toMono(samples: Int16Array, channels: number): Int16Array {
  if (channels === 1) return samples;
  const mono = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < mono.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c]!;
    mono[i] = Math.round(sum / channels);
  }
  return mono;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.length;
  }
  return out;
}
