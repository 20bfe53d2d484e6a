/**
 * How long an Ogg Opus recording (a WhatsApp voice note) lasts, read cheaply from its bytes: the
 * granule position of the last Ogg page counts 48 kHz samples from the start, less the
 * pre-skip the OpusHead header names (RFC 7845 sections 4 and 5.1; Ogg page layout in RFC 3533
 * section 6). No decoding, no I/O. Undefined when the bytes are not Ogg Opus or the last page
 * cannot be found, so the caller falls back to its other limits.
 */
const CAPTURE = Buffer.from('OggS', 'latin1');
const OPUS_HEAD = Buffer.from('OpusHead', 'latin1');
const OPUS_RATE = 48_000;
/** An Ogg page is at most 65,307 bytes: the last one starts within this many bytes of the end. */
const LAST_PAGE_WINDOW = 65_307 + 27;

export function oggOpusDurationSeconds(bytes: Uint8Array): number | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 27 + 19 || !buf.subarray(0, 4).equals(CAPTURE)) return undefined;
  // First page: 27-byte header, the segment table, then the OpusHead packet.
  const segments = buf[26]!;
  const head = 27 + segments;
  if (!buf.subarray(head, head + 8).equals(OPUS_HEAD)) return undefined;
  const preSkip = buf.readUInt16LE(head + 10);
  const from = Math.max(0, buf.length - LAST_PAGE_WINDOW);
  for (let at = buf.lastIndexOf(CAPTURE); at >= from; at = at === 0 ? -1 : buf.lastIndexOf(CAPTURE, at - 1)) {
    // A capture pattern inside audio data is possible: a real page header has version 0 and room for itself.
    if (at + 27 > buf.length || buf[at + 4] !== 0) continue;
    const granule = buf.readBigInt64LE(at + 6);
    // -1 marks a page on which no packet ends (RFC 3533): look further back.
    if (granule < 0n) continue;
    const samples = Number(granule) - preSkip;
    return samples > 0 ? samples / OPUS_RATE : 0;
  }
  return undefined;
}
