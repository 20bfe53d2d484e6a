import { describe, expect, it } from 'vitest';
import { AudioFormatError, encodeVoiceNote } from '../../src/domain/voice-note.js';
import { walkMp3 } from '../helpers/mp3-frames.js';

/** `seconds` of a 440 Hz tone, 16-bit little-endian, interleaved over `channels`. */
function pcm(seconds: number, rate = 24_000, channels = 1): Uint8Array {
  const frames = Math.round(seconds * rate);
  const out = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) out.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), (i * channels + c) * 2);
  }
  return out;
}

function wav(data: Uint8Array, rate: number, channels: number, extraChunk = false): Uint8Array {
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(rate * channels * 2, 16);
  fmt.writeUInt16LE(channels * 2, 20);
  fmt.writeUInt16LE(16, 22);
  // A LIST chunk of odd length (padded) before the data, as some encoders write.
  const list = extraChunk ? Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]) : Buffer.alloc(0);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii');
  dataHead.writeUInt32LE(data.length, 4);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(4 + fmt.length + list.length + 8 + data.length, 4);
  riff.write('WAVE', 8, 'ascii');
  return Buffer.concat([riff, fmt, list, dataHead, data]);
}

describe('encodeVoiceNote', () => {
  it('encodes Gemini\'s raw L16 PCM (24 kHz mono) as an MP3 whose every frame header is valid, of the same length', async () => {
    const note = await encodeVoiceNote(pcm(1.5), 'audio/L16;codec=pcm;rate=24000');
    expect(note.contentType).toBe('audio/mpeg');
    expect(note.seconds).toBeCloseTo(1.5, 3);
    const mp3 = walkMp3(note.bytes);
    expect(mp3).toMatchObject({ version: 'MPEG-2', layer: 3, sampleRate: 24_000, channels: 1 });
    // LAME adds encoder delay and padding: a frame or two beyond the speech itself.
    expect(mp3.seconds).toBeGreaterThanOrEqual(1.5);
    expect(mp3.seconds).toBeLessThan(1.7);
  });

  it('reads the rate from the mime type', async () => {
    const note = await encodeVoiceNote(pcm(0.5, 16_000), 'audio/L16; rate=16000');
    expect(walkMp3(note.bytes).sampleRate).toBe(16_000);
  });

  it('reads a WAV file (the 3.8 models\' answer), skipping other chunks and mixing stereo down to mono', async () => {
    const mono = await encodeVoiceNote(wav(pcm(1), 24_000, 1, true), 'audio/wav');
    expect(walkMp3(mono.bytes)).toMatchObject({ sampleRate: 24_000, channels: 1 });
    expect(mono.seconds).toBeCloseTo(1, 3);
    const stereo = await encodeVoiceNote(wav(pcm(1, 48_000, 2), 48_000, 2), 'audio/x-wav');
    // At 48 kbps LAME resamples 48 kHz to 32 kHz by itself; the length stays.
    const walked = walkMp3(stereo.bytes);
    expect(walked).toMatchObject({ version: 'MPEG-1', channels: 1 });
    expect(walked.seconds).toBeGreaterThanOrEqual(1);
    expect(walked.seconds).toBeLessThan(1.2);
    expect(stereo.seconds).toBeCloseTo(1, 3);
  });

  it('passes audio WhatsApp already plays through unchanged', async () => {
    const ogg = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 1, 2, 3]);
    expect(await encodeVoiceNote(ogg, 'audio/ogg; codecs=opus')).toMatchObject({ bytes: ogg, contentType: 'audio/ogg' });
  });

  it('refuses what it cannot turn into a voice note, with a reason', async () => {
    await expect(encodeVoiceNote(pcm(0.1), 'audio/flac')).rejects.toThrow(AudioFormatError);
    await expect(encodeVoiceNote(new Uint8Array(), 'audio/L16;rate=24000')).rejects.toThrow(/no samples/);
    await expect(encodeVoiceNote(pcm(0.1, 44_100), 'audio/L16;rate=44101')).rejects.toThrow(/44101 Hz/);
    await expect(encodeVoiceNote(new Uint8Array(64), 'audio/wav')).rejects.toThrow(/not a WAV/);
  });
});
