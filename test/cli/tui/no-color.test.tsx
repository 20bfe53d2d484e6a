import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// ink's chalk decides its colour level when first loaded: force colours on for this file, so the
// test sees what a colour terminal would get (the test's stdout is not a TTY).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import { cleanup, render } from 'ink-testing-library';
import { MeetingsApp } from '../../../src/cli/tui/meetings-app.js';
import { ColoursOn } from '../../../src/cli/tui/colours.js';
import type { MeetingSummary } from '../../../src/lifecycle/reading/list-meetings.js';
import { colorWanted } from '../../../src/support/color-env.js';
import { loadInk } from '../../../src/cli/tui/ink.js';

// The components take ink from src/cli/tui/ink.ts, filled in by loadInk() as the UI does before it renders.
beforeAll(() => loadInk());

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MEETINGS: MeetingSummary[] = [
  {
    id: 1, title: 'Acme renewal', status: 'plan_sent', source: 'graph', startAt: T0, endAt: T0 + 1_800_000, organizerEmail: 'sara@company.com',
    user: { id: 1, email: 'sara@company.com', name: 'Sara Lopez' }, clients: [], markers: { plan: true, reminder: false, note: false }, hubspotNoteId: null, series: null, score: 3,
  },
  {
    id: 2, title: 'Stranger call', status: 'scheduled', source: 'graph', startAt: T0 + 3_600_000, endAt: T0 + 5_400_000, organizerEmail: 'x@elsewhere.com',
    user: null, clients: [], markers: { plan: false, reminder: false, note: false }, hubspotNoteId: null, series: { masterId: 'm', index: 1, count: 3 }, score: null,
  },
];

// SGR foreground colours: 30-37, 90-97 and 38;5 / 38;2; bold (1), dim (2), underline (4) and inverse (7) are not colours.
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[(3[0-8]|9[0-7])[;m]`);

async function frameWith(colours: boolean): Promise<string> {
  const ui = render(
    <ColoursOn.Provider value={colours}>
      <MeetingsApp loadMeetings={async () => MEETINGS} loadDetail={async () => { throw new Error('unused'); }} refreshMs={0} timeZone="UTC" now={() => T0} />
    </ColoursOn.Provider>,
  );
  for (let i = 0; i < 200 && !(ui.lastFrame() ?? '').includes('Stranger call'); i++) await new Promise((r) => setTimeout(r, 5));
  return ui.lastFrame() ?? '';
}

afterEach(() => cleanup());

describe('NO_COLOR in the meetings UI', () => {
  it('draws statuses, markers and unmatched rows in colour by default', async () => {
    expect(await frameWith(true)).toMatch(COLOUR);
  });

  it('draws no colour at all when colours are off, and keeps the selected row inverse', async () => {
    const frame = await frameWith(false);
    expect(frame).toContain('Stranger call');
    // The score (red under 5 in colour) too.
    expect(frame).toContain('3/10');
    expect(frame).not.toMatch(COLOUR);
    expect(frame).toContain('\u001B[7m');
  });

  it.each([
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{}, false, false],
    [{}, true, true],
  ])('colorWanted(%j, tty=%s) is %s', (env, tty, wanted) => {
    expect(colorWanted(env, tty)).toBe(wanted);
  });
});
