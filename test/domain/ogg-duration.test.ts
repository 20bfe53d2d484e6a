import { describe, expect, it } from 'vitest';
import { oggOpusDurationSeconds } from '../../src/domain/ogg-duration.js';
import { oggOpusFile } from '../../src/sandbox/ogg-opus-file.js';

describe('oggOpusDurationSeconds', () => {
  it('reads the playing time from the last page granule less the pre-skip', () => {
    expect(oggOpusDurationSeconds(oggOpusFile({ seconds: 2.5 }))).toBeCloseTo(2.5, 3);
    expect(oggOpusDurationSeconds(oggOpusFile({ seconds: 200, transcript: 'long' }))).toBeCloseTo(200, 3);
  });

  it('is undefined for bytes that are not Ogg Opus, and for a stream cut before its first page ends', () => {
    expect(oggOpusDurationSeconds(Buffer.from('ID3\x04 not an ogg file at all, just some bytes here'))).toBeUndefined();
    const vorbis = Buffer.from(oggOpusFile());
    vorbis.write('OpusHexd', 28, 'latin1');
    expect(oggOpusDurationSeconds(vorbis)).toBeUndefined();
    expect(oggOpusDurationSeconds(oggOpusFile().subarray(0, 20))).toBeUndefined();
  });

  it('skips a page with no finished packet (granule -1) and reads the one before', () => {
    const file = Buffer.from(oggOpusFile({ seconds: 1 }));
    const lastPage = file.lastIndexOf(Buffer.from('OggS'));
    file.writeBigInt64LE(-1n, lastPage + 6);
    const seconds = oggOpusDurationSeconds(file)!;
    expect(seconds).toBeGreaterThan(0.9);
    expect(seconds).toBeLessThan(1.1);
  });
});
