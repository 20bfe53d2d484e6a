import { describe, expect, it } from 'vitest';
import { localTimeFormatter } from '../../src/cli/format-meeting.js';
import { formatTable } from '../../src/cli/format-table.js';

describe('localTimeFormatter', () => {
  it.each(['UTC', 'Europe/Madrid', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns'])('agrees with Intl across DST changes in %s', (timeZone) => {
    const reference = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const format = localTimeFormatter(timeZone);
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 37 * 60_000 + 11_000) {
      expect(format(ms)).toBe(reference.format(new Date(ms)));
    }
  });

  it('writes YYYY-MM-DD HH:MM', () => {
    expect(localTimeFormatter('Europe/Madrid')(Date.UTC(2026, 2, 29, 0, 59))).toBe('2026-03-29 01:59');
    expect(localTimeFormatter('Europe/Madrid')(Date.UTC(2026, 2, 29, 1, 0))).toBe('2026-03-29 03:00');
  });
});

describe('formatTable', () => {
  it('aligns by code points and flattens whitespace in cells', () => {
    expect(formatTable(['A', 'BB', 'C'], [['x  y', 'émoji 😀', 'z'], [' lead', 'b', 'tail\nend ']])).toBe([
      'A     BB       C',
      'x y   émoji 😀  z',
      'lead  b        tail end',
    ].join('\n'));
  });
});
