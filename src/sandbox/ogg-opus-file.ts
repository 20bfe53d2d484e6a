/**
 * Builds small but valid Ogg Opus files, the format of a WhatsApp voice note (audio/ogg;
 * codecs=opus), for the simulators, tests and `rolplay demo`: no encoder is needed on the
 * machine. Layout per RFC 7845 (OpusHead on the first page, OpusTags on the second, audio
 * pages after, granule positions in 48 kHz samples including the pre-skip) and RFC 3533
 * (page header, lacing, CRC-32 with polynomial 0x04C11DB7). The audio is silence: each packet
 * is the 3-byte 20 ms CELT frame F8 FF FE that voice libraries send as "silence"
 * (discord.js voice's SILENCE_FRAME), so the file plays, silently, for `seconds`.
 *
 * What the salesperson "said" travels as a Vorbis comment, TRANSCRIPT_TAG=<text>, which the
 * Gemini simulator reads back (gemini-sim-audio.ts): real files carry an encoder tag there too.
 */
export const TRANSCRIPT_TAG = 'ROLPLAY_TRANSCRIPT';

const SILENCE_FRAME = Buffer.from([0xf8, 0xff, 0xfe]);
const SAMPLES_PER_FRAME = 960;
const PRE_SKIP = 312;
const FRAMES_PER_PAGE = 50;

export interface OggOpusOptions {
  /** Playing time (default 3 s). */
  seconds?: number;
  /** What the Gemini simulator transcribes; none makes an "unintelligible" note. */
  transcript?: string;
}

export function oggOpusFile(options: OggOpusOptions = {}): Buffer {
  const seconds = options.seconds ?? 3;
  const serial = 0x726f6c70; // "rolp"
  const pages: Buffer[] = [];
  let sequence = 0;
  const page = (packets: Buffer[], granule: bigint, flags: number) => pages.push(oggPage(packets, granule, flags, serial, sequence++));

  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1; // version
  head[9] = 1; // mono
  head.writeUInt16LE(PRE_SKIP, 10);
  head.writeUInt32LE(48_000, 12); // the recording's original rate (informational)
  page([head], 0n, 0x02);

  const comments = options.transcript === undefined ? [] : [`${TRANSCRIPT_TAG}=${options.transcript}`];
  page([opusTags('rolplay sandbox', comments)], 0n, 0);

  const total = Math.round(seconds * 48_000) + PRE_SKIP;
  const frames = Math.max(1, Math.ceil(total / SAMPLES_PER_FRAME));
  for (let first = 0; first < frames; first += FRAMES_PER_PAGE) {
    const count = Math.min(FRAMES_PER_PAGE, frames - first);
    const last = first + count >= frames;
    // The last page's granule ends the stream exactly at `seconds` (end trimming, RFC 7845 4.4).
    const granule = last ? BigInt(total) : BigInt((first + count) * SAMPLES_PER_FRAME);
    page(Array.from({ length: count }, () => SILENCE_FRAME), granule, last ? 0x04 : 0);
  }
  return Buffer.concat(pages);
}

function opusTags(vendor: string, comments: string[]): Buffer {
  const parts = [Buffer.from('OpusTags', 'latin1'), lengthPrefixed(vendor), u32(comments.length), ...comments.map(lengthPrefixed)];
  return Buffer.concat(parts);
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function oggPage(packets: Buffer[], granule: bigint, flags: number, serial: number, sequence: number): Buffer {
  const lacing: number[] = [];
  for (const p of packets) {
    let left = p.length;
    while (left >= 255) {
      lacing.push(255);
      left -= 255;
    }
    lacing.push(left);
  }
  if (lacing.length > 255) throw new Error('an Ogg page holds at most 255 lacing values');
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'latin1');
  header[4] = 0;
  header[5] = flags;
  header.writeBigInt64LE(granule, 6);
  header.writeUInt32LE(serial, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = lacing.length;
  const out = Buffer.concat([header, Buffer.from(lacing), ...packets]);
  out.writeUInt32LE(oggCrc(out), 22);
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, i) => {
  let r = i << 24;
  for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  return r >>> 0;
});

function oggCrc(bytes: Buffer): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  return crc;
}
