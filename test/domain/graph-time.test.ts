import { describe, expect, it } from 'vitest';
import { formatGraphDateTime, parseGraphDateTime } from '../../src/domain/graph-time.js';

const at = (text: string) => Date.parse(text);

describe('parseGraphDateTime', () => {
  it('reads Graph UTC wall times with seven fractional digits', () => {
    expect(parseGraphDateTime({ dateTime: '2026-01-05T10:00:00.0000000', timeZone: 'UTC' })).toEqual({ ok: true, at: at('2026-01-05T10:00:00Z') });
  });

  it('converts Windows zone names, in winter and in summer', () => {
    expect(parseGraphDateTime({ dateTime: '2026-01-05T10:00:00.0000000', timeZone: 'Pacific Standard Time' })).toEqual({ ok: true, at: at('2026-01-05T18:00:00Z') });
    expect(parseGraphDateTime({ dateTime: '2026-07-05T10:00:00.0000000', timeZone: 'Pacific Standard Time' })).toEqual({ ok: true, at: at('2026-07-05T17:00:00Z') });
    expect(parseGraphDateTime({ dateTime: '2026-07-05T10:00:00', timeZone: 'W. Europe Standard Time' })).toEqual({ ok: true, at: at('2026-07-05T08:00:00Z') });
    expect(parseGraphDateTime({ dateTime: '2026-03-01T09:30:00.0000000', timeZone: 'India Standard Time' })).toEqual({ ok: true, at: at('2026-03-01T04:00:00Z') });
  });

  it('accepts IANA names, the tzone:// UTC form, a missing zone, and explicit offsets', () => {
    expect(parseGraphDateTime({ dateTime: '2026-07-05T10:00:00', timeZone: 'Europe/Madrid' })).toEqual({ ok: true, at: at('2026-07-05T08:00:00Z') });
    expect(parseGraphDateTime({ dateTime: '2026-07-05T10:00:00', timeZone: 'tzone://Microsoft/Utc' })).toEqual({ ok: true, at: at('2026-07-05T10:00:00Z') });
    expect(parseGraphDateTime({ dateTime: '2026-07-05T10:00:00' })).toEqual({ ok: true, at: at('2026-07-05T10:00:00Z') });
    expect(parseGraphDateTime({ dateTime: '2026-07-05T10:00:00.1234567+02:00', timeZone: 'Whatever' })).toEqual({ ok: true, at: at('2026-07-05T08:00:00.123Z') });
  });

  it('takes the first occurrence of an ambiguous autumn time', () => {
    // 01:30 happens twice in Los Angeles on 2026-11-01; the first is still daylight time (UTC-7).
    expect(parseGraphDateTime({ dateTime: '2026-11-01T01:30:00', timeZone: 'Pacific Standard Time' })).toEqual({ ok: true, at: at('2026-11-01T08:30:00Z') });
  });

  it('says why instead of throwing on odd input', () => {
    expect(parseGraphDateTime(undefined)).toEqual({ ok: false, reason: 'missing time' });
    expect(parseGraphDateTime({ timeZone: 'UTC' })).toEqual({ ok: false, reason: 'missing dateTime' });
    expect(parseGraphDateTime({ dateTime: 'next tuesday', timeZone: 'UTC' })).toMatchObject({ ok: false, reason: expect.stringContaining('unreadable') });
    expect(parseGraphDateTime({ dateTime: '2026-01-05T10:00:00', timeZone: 'Customized Time Zone' })).toMatchObject({ ok: false, reason: expect.stringContaining('unknown time zone') });
    expect(parseGraphDateTime({ dateTime: '2026-01-05T10:00:00', timeZone: 42 })).toMatchObject({ ok: false });
  });
});

describe('formatGraphDateTime', () => {
  it('renders an instant as Graph does, in UTC or in a zone, and round-trips', () => {
    const instant = at('2026-01-05T18:00:00Z');
    expect(formatGraphDateTime(instant)).toBe('2026-01-05T18:00:00.0000000');
    const pacific = formatGraphDateTime(instant, 'Pacific Standard Time');
    expect(pacific).toBe('2026-01-05T10:00:00.0000000');
    expect(parseGraphDateTime({ dateTime: pacific, timeZone: 'Pacific Standard Time' })).toEqual({ ok: true, at: instant });
  });
});
