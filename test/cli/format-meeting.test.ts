import { describe, expect, it } from 'vitest';
import { localTimeFormatter } from '../../src/cli/format-meeting.js';
import { formatTable } from '../../src/cli/format-table.js';
import { cellWidth, fitCells } from '../../src/cli/cell-width.js';

describe('localTimeFormatter', () => {
  it.each(['UTC', 'Europe/Madrid', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns'])('agrees with Intl across DST changes in %s', (timeZone) => {
    const reference = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const format = localTimeFormatter(timeZone);
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 37 * 60_000 + 11_000) {
      expect(format(ms)).toBe(reference.format(new Date(ms)));
    }
  });

  it.each(['Europe/Madrid', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'])('agrees with Intl in the local zone (TZ=%s), without building an Intl formatter', (zone) => {
    const saved = process.env.TZ;
    process.env.TZ = zone;
    try {
      const reference = new Intl.DateTimeFormat('sv-SE', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      // The zone took effect (every one here but UTC is off UTC on New Year's Day).
      expect(reference.format(new Date(Date.UTC(2026, 0, 1))) === '2026-01-01 00:00').toBe(zone === 'UTC');
      const format = localTimeFormatter();
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 37 * 60_000 + 11_000) {
        expect(format(ms)).toBe(reference.format(new Date(ms)));
      }
      expect(format(Date.UTC(1969, 11, 31, 23, 59))).toBe(reference.format(new Date(Date.UTC(1969, 11, 31, 23, 59))));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('writes YYYY-MM-DD HH:MM', () => {
    expect(localTimeFormatter('Europe/Madrid')(Date.UTC(2026, 2, 29, 0, 59))).toBe('2026-03-29 01:59');
    expect(localTimeFormatter('Europe/Madrid')(Date.UTC(2026, 2, 29, 1, 0))).toBe('2026-03-29 03:00');
  });
});

describe('formatTable', () => {
  it('flattens whitespace in cells', async () => {
    expect(await formatTable(['A', 'BB', 'C'], [['x  y', 'b', 'z'], [' lead', 'b', 'tail\nend ']])).toBe([
      'A     BB  C',
      'x y   b   z',
      'lead  b   tail end',
    ].join('\n'));
  });

  it('aligns by terminal cells: wide CJK and emoji take two, combining marks none', async () => {
    const table = await formatTable(['NAME', 'EMAIL', 'TZ'], [
      ['Sara Lopez', 'sara@company.com', 'UTC'],
      ['王伟明', 'wang@company.com', 'Asia/Shanghai'],
      ['Ana 😀', 'ana@acme.com', 'UTC'],
      ['Zoe\u0301 👩‍💻', 'zoe@acme.com', 'UTC'],
    ]);
    const lines = table.split('\n');
    // Every EMAIL cell starts at the same terminal column (cells: 10 for the widest name + 2).
    for (const line of lines) {
      const at = line.search(/(EMAIL|\S+@\S+)/);
      expect(cellWidth(line.slice(0, at)), line).toBe(12);
    }
    expect(lines[2]).toBe('王伟明      wang@company.com  Asia/Shanghai');
  });
});

describe('fitCells', () => {
  it('pads and cuts by cells without splitting a character', () => {
    expect(fitCells('王伟明', 8)).toBe('王伟明  ');
    expect(fitCells('王伟明', 5)).toBe('王伟…');
    expect(fitCells('王伟明', 4)).toBe('王… ');
    expect(fitCells('Zoe\u0301 Lopez', 5)).toBe('Zoe\u0301 …');
    expect(fitCells('👩‍💻 dev', 3)).toBe('👩‍💻…');
    for (const w of [1, 2, 3, 4, 5, 6, 9]) expect(cellWidth(fitCells('王伟明 and 😀 Zoe\u0301', w))).toBe(w);
  });
});
