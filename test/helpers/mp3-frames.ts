/**
 * Walks an MP3 stream frame by frame from its headers (ISO/IEC 11172-3 and 13818-3): every frame
 * starts with an 11-bit sync, and its length follows from version, bitrate, sample rate and
 * padding. A stream that walks to its last byte with consistent headers is a valid MP3.
 */
export interface Mp3Summary {
  frames: number;
  version: 'MPEG-1' | 'MPEG-2' | 'MPEG-2.5';
  layer: number;
  sampleRate: number;
  channels: 1 | 2;
  seconds: number;
}

const BITRATES = {
  v1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES: Record<string, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

export function walkMp3(bytes: Uint8Array): Mp3Summary {
  let at = 0;
  let frames = 0;
  let first: Omit<Mp3Summary, 'frames' | 'seconds'> | undefined;
  let samples = 0;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff || (bytes[at + 1]! & 0xe0) !== 0xe0) throw new Error(`no frame sync at byte ${at} of ${bytes.length}`);
    const versionBits = (bytes[at + 1]! >> 3) & 3;
    const layerBits = (bytes[at + 1]! >> 1) & 3;
    const bitrateIndex = bytes[at + 2]! >> 4;
    const rateIndex = (bytes[at + 2]! >> 2) & 3;
    const padding = (bytes[at + 2]! >> 1) & 1;
    const mode = bytes[at + 3]! >> 6;
    if (versionBits === 1 || layerBits !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) throw new Error(`bad frame header at byte ${at}`);
    const v1 = versionBits === 3;
    const sampleRate = RATES[versionBits]![rateIndex]!;
    const kbps = (v1 ? BITRATES.v1 : BITRATES.v2)[bitrateIndex]!;
    const perFrame = v1 ? 1152 : 576;
    const length = Math.floor(((perFrame / 8) * kbps * 1000) / sampleRate) + padding;
    const header = { version: v1 ? 'MPEG-1' : versionBits === 2 ? 'MPEG-2' : 'MPEG-2.5', layer: 3, sampleRate, channels: mode === 3 ? 1 : 2 } as const;
    if (first && (first.sampleRate !== sampleRate || first.channels !== header.channels)) throw new Error(`frame ${frames} changes format`);
    first ??= header;
    samples += perFrame;
    frames++;
    at += length;
  }
  if (at !== bytes.length || !first) throw new Error('the last frame runs past the end of the stream');
  return { ...first, frames, seconds: samples / first.sampleRate };
}
