import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { MeetingsApp } from '../../../src/cli/tui/meetings-app.js';
import { cellWidth } from '../../../src/cli/cell-width.js';
import type { MeetingSummary } from '../../../src/lifecycle/reading/list-meetings.js';
import type { MeetingDetail } from '../../../src/lifecycle/reading/meeting-details.js';
import { loadInk } from '../../../src/cli/tui/ink.js';

// The components take ink from src/cli/tui/ink.ts, filled in by loadInk() as the UI does before it renders.
beforeAll(() => loadInk());

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const DOWN = '\u001B[B';
const ENTER = '\r';
const ESC = '\u001B';

function meeting(id: number, title: string, status: MeetingSummary['status'], user: MeetingSummary['user'], extra: Partial<MeetingSummary> = {}): MeetingSummary {
  return {
    id, title, status, source: 'graph', startAt: T0 + id * 3_600_000, endAt: T0 + id * 3_600_000 + 1_800_000,
    organizerEmail: user?.email ?? 'stranger@elsewhere.com', user, clients: [{ name: 'Ana Ruiz', email: 'ana@acme.com', company: 'Acme' }],
    markers: { plan: status !== 'scheduled', reminder: status === 'completed', note: status === 'completed' }, hubspotNoteId: status === 'completed' ? '9001' : null, series: null, score: null, ...extra,
  };
}

const sara = { id: 1, email: 'sara@company.com', name: 'Sara Lopez' };
const MEETINGS = [
  meeting(1, 'Acme renewal', 'plan_sent', sara),
  meeting(2, 'Globex intro', 'completed', sara, { clients: [{ name: 'Bob Stone', email: 'bob@globex.com', company: 'Globex' }] }),
  meeting(3, 'Stranger call', 'scheduled', null),
  meeting(4, 'Acme weekly', 'scheduled', sara, { series: { masterId: 'AAMk-master', index: 3, count: 12 } }),
];

const wang = { id: 2, email: 'wang@company.com', name: '王伟明' };
const WIDE = [
  meeting(1, 'Acme renewal', 'plan_sent', sara),
  meeting(2, 'Quarterly business review with the whole procurement team', 'scheduled', null, { organizerEmail: 'stranger.person@elsewhere.example.com' }),
  meeting(3, '北京 kickoff', 'reminder_sent', wang, { clients: [{ name: '李雷', email: 'li@acme.cn', company: 'Acme CN' }] }),
  meeting(104, 'Stranger call', 'scheduled', null),
];

/** Terminal cells before `text` in a drawn line. */
const cellsBefore = (line: string, text: string) => cellWidth(line.slice(0, line.indexOf(text)));

function detailOf(m: MeetingSummary): MeetingDetail {
  return {
    ...m, bodyPreview: null, location: null, joinUrl: null, eventId: `evt-${m.id}`,
    plan: { summary: `Plan for ${m.title}`, steps: ['Open with usage numbers'] }, outcome: null, lastReply: null, roleplayScore: null,
    clientsDetail: m.clients.map((c, i) => ({ id: i + 1, ...c, hubspotContactId: '501' })),
    user: m.user ? { ...m.user, phone: '+14155552671', timezone: 'UTC' } : null,
    messages: [{ at: T0, direction: 'in', kind: 'inbound', body: 'What if they ask for a discount?', sid: 'SM1' }], roleplays: [],
    jobs: [{ id: 7, kind: 'send_whatsapp', status: 'failed', attempts: 3, maxAttempts: 3, runAt: T0, lastError: 'Twilio error 63016', dedupeKey: 'k', result: null }],
    createdAt: T0, updatedAt: T0,
  };
}

function setup(options: { replay?: (id: number) => Promise<string>; now?: number; columns?: number; meetings?: MeetingSummary[] } = {}) {
  const all = options.meetings ?? MEETINGS;
  const loadMeetings = vi.fn(async ({ status, unmatched }: { status?: string; unmatched: boolean }) =>
    all.filter((m) => (!status || m.status === status) && (!unmatched || m.user === null)));
  const loadDetail = vi.fn(async (id: number) => detailOf(all.find((m) => m.id === id)!));
  const ui = render(<MeetingsApp loadMeetings={loadMeetings} loadDetail={loadDetail} replay={options.replay} refreshMs={0} timeZone="UTC" now={() => options.now ?? T0} />);
  // ink-testing-library draws 100 columns; a terminal of another width, as if resized at once.
  if (options.columns) {
    Object.defineProperty(ui.stdout, 'columns', { value: options.columns, configurable: true });
    ui.stdout.emit('resize');
  }
  return { ui, loadMeetings, loadDetail };
}

/** Waits for the UI to settle on a frame that satisfies `check` (renders are asynchronous). */
async function until(ui: ReturnType<typeof render>, check: (frame: string) => boolean): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const frame = ui.lastFrame() ?? '';
    if (check(frame)) return frame;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`UI never showed the expected frame; last frame:\n${ui.lastFrame()}`);
}

const press = async (ui: ReturnType<typeof render>, ...keys: string[]) => {
  for (const k of keys) {
    ui.stdin.write(k);
    await new Promise((r) => setTimeout(r, 10));
  }
};

afterEach(() => cleanup());

describe('meetings terminal UI', () => {
  it('draws the table with local time, salesperson, clients, title, status and markers', async () => {
    const { ui } = setup();
    const frame = await until(ui, (f) => f.includes('Acme renewal'));
    expect(frame).toContain('4 of 4');
    expect(frame).toMatch(/› 1 +2026-01-05 10:00 +Sara Lopez +Ana Ruiz \(Acme\) +Acme renewal +plan_sent/);
    expect(frame).toMatch(/stranger@el.* +Stranger call +scheduled/);
    expect(frame).toMatch(/completed +P R N/);
    // An occurrence of a recurring series: its place among the series' meetings, before the title.
    expect(frame).toMatch(/Ana Ruiz \(Acme\) +↻ 3\/12 Acme weekly +scheduled/);
  });

  it('moves with the arrows and opens the detail view with plan, transcript, jobs and note id; Esc goes back', async () => {
    const { ui, loadDetail } = setup();
    await until(ui, (f) => f.includes('Acme renewal'));
    await press(ui, DOWN, ENTER);
    const top = await until(ui, (f) => f.includes('Plan for Globex intro'));
    expect(loadDetail).toHaveBeenCalledWith(2);
    expect(top).toContain('HubSpot note: 9001');
    expect(top).toContain('Bob Stone (Globex) <bob@globex.com>');
    await press(ui, ' ');
    const rest = await until(ui, (f) => f.includes('Jobs'));
    expect(rest).toContain('What if they ask for a discount?');
    expect(rest).toMatch(/#7 send_whatsapp failed .*last error: Twilio error 63016/);
    await press(ui, ESC);
    await until(ui, (f) => f.includes('Enter details') && f.includes('› 2  2026-01-05 11:00'));
  });

  it('filters by text with /, cycles status with s and shows unmatched invitations with u', async () => {
    const { ui, loadMeetings } = setup();
    await until(ui, (f) => f.includes('Acme renewal'));
    await press(ui, '/', 'g', 'l', 'o', ENTER);
    let frame = await until(ui, (f) => f.includes('1 of 4'));
    expect(frame).toContain('Globex intro');
    expect(frame).not.toContain('Acme renewal');
    await press(ui, '/', ESC);
    await until(ui, (f) => f.includes('4 of 4'));
    await press(ui, 's');
    frame = await until(ui, (f) => f.includes('status: scheduled'));
    await vi.waitFor(() => expect(loadMeetings).toHaveBeenLastCalledWith({ status: 'scheduled', unmatched: false }));
    await press(ui, 's', 's', 's', 's', 's');
    await until(ui, (f) => f.includes('status: all'));
    await press(ui, 'u');
    frame = await until(ui, (f) => f.includes('unmatched only') && f.includes('1 of 1'));
    expect(frame).toContain('Stranger call');
  });

  it('takes keys that arrive together (typed fast or pasted) one by one', async () => {
    const { ui } = setup();
    await until(ui, (f) => f.includes('Acme renewal'));
    ui.stdin.write('/glo\r');
    const frame = await until(ui, (f) => f.includes('1 of 4') && f.includes('Enter details'));
    expect(frame).toContain('Globex intro');
  });

  it('starts on the first meeting that is not over yet', async () => {
    const { ui } = setup({ now: T0 + 2 * 3_600_000 + 45 * 60_000 });
    const frame = await until(ui, (f) => f.includes('Acme renewal'));
    expect(frame).toMatch(/› 3 +2026-01-05 12:00 .*Stranger call/);
  });

  it('replays the selected meeting only after confirmation', async () => {
    const replay = vi.fn(async (id: number) => `Plan for meeting ${id} regenerated and sent.`);
    const { ui } = setup({ replay });
    await until(ui, (f) => f.includes('Acme renewal'));
    await press(ui, 'r');
    await until(ui, (f) => f.includes('Replay the plan for meeting 1 "Acme renewal"?'));
    await press(ui, 'n');
    await until(ui, (f) => f.includes('Replay cancelled.'));
    expect(replay).not.toHaveBeenCalled();
    await press(ui, 'r', 'y');
    await until(ui, (f) => f.includes('Plan for meeting 1 regenerated and sent.'));
    expect(replay).toHaveBeenCalledWith(1);
  });

  it('shows each meeting\'s id in the list and in the detail view (for `meetings show` and `replay`)', async () => {
    const { ui } = setup();
    const frame = await until(ui, (f) => f.includes('Acme renewal'));
    expect(frame.split('\n')[1]).toMatch(/^ {2}ID +START +SALESPERSON/);
    expect(frame).toMatch(/^ {2}3 +2026-01-05 12:00 +stranger@/m);
    await press(ui, DOWN, ENTER);
    expect(await until(ui, (f) => f.includes('Plan for Globex intro'))).toMatch(/^ID: +2$/m);
  });

  it('sizes columns to their content: at 160 columns names are whole, a long address keeps "(unmatched)", the title takes the rest', async () => {
    const { ui } = setup({ columns: 160, meetings: WIDE });
    const frame = await until(ui, (f) => f.includes('Acme renewal'));
    expect(frame).toContain('stranger@elsewhere.com (unmatched)');
    expect(frame).toMatch(/stranger\.person@\S+… \(unmatched\) /);
    expect(frame).toContain('Quarterly business review with the whole procurement team');
    const lines = frame.split('\n').slice(1, 6);
    // The status starts at the same cell on every row; the title took the slack, so the table spans the terminal.
    const statusAt = cellsBefore(lines[0]!, 'STATUS');
    for (const line of lines.slice(1)) expect(cellsBefore(line, line.match(/plan_sent|scheduled|reminder_sent/)![0]), line).toBe(statusAt);
    expect(statusAt - cellsBefore(lines[0]!, 'TITLE')).toBeGreaterThan('Quarterly business review with the whole procurement team'.length);
    expect(cellWidth(lines[0]!)).toBe(160);
  });

  it('lines up a row with wide characters (王伟明, 李雷) by terminal cells', async () => {
    const { ui } = setup({ meetings: WIDE });
    const frame = await until(ui, (f) => f.includes('王伟明'));
    const lines = frame.split('\n').slice(1, 6);
    const statusAt = cellsBefore(lines[0]!, 'STATUS');
    expect(cellsBefore(lines.find((l) => l.includes('王伟明'))!, 'reminder_sent')).toBe(statusAt);
    for (const line of lines) expect(cellWidth(line)).toBeLessThanOrEqual(100);
  });

  it.each([50, 64, 80])('degrades at %i columns: no line wraps, ids and statuses stay visible', async (columns) => {
    const { ui } = setup({ columns, meetings: WIDE });
    const frame = await until(ui, (f) => f.includes('Acme'));
    const lines = frame.split('\n');
    // title line, header, four rows, key help: nothing wrapped onto a second line
    expect(lines).toHaveLength(7);
    for (const line of lines) expect(cellWidth(line), line).toBeLessThanOrEqual(columns);
    expect(lines[1]).toMatch(/ID .*STATUS/);
    for (const [i, status] of [[2, 'plan_sent'], [3, 'scheduled'], [4, 'reminder_sent'], [5, 'scheduled']] as const) {
      expect(lines[i]).toMatch(new RegExp(`^. \\d+ .* ${status}`));
    }
  });

  it('says at once that an unmatched meeting cannot be replayed, without asking y/N', async () => {
    const replay = vi.fn(async (id: number) => `Plan for meeting ${id} regenerated and sent.`);
    const { ui } = setup({ replay, now: T0 + 2 * 3_600_000 + 45 * 60_000 });
    await until(ui, (f) => /› 3 .*Stranger call/.test(f));
    await press(ui, 'r');
    const frame = await until(ui, (f) => f.includes('cannot be replayed'));
    expect(frame).toContain('Meeting 3 cannot be replayed: stranger@elsewhere.com is not a registered salesperson');
    expect(frame).not.toContain('(y/N)');
    await press(ui, 'y');
    expect(replay).not.toHaveBeenCalled();
  });

  it.each([['q'], [ESC]])('quits on %j: later keys do nothing', async (key) => {
    const { ui } = setup();
    await until(ui, (f) => f.includes('Acme renewal'));
    expect(ui.lastFrame()).toMatch(/› 1 +2026-01-05 10:00/);
    await press(ui, key);
    // let the lone ESC be read on its own: bytes that arrive together would read as Meta+Down
    await new Promise((r) => setTimeout(r, 150));
    // ink draws differently once it exits (and under CI=true), so count frames instead of reading the last one
    const drawn = ui.frames.length;
    await press(ui, DOWN, DOWN);
    expect(ui.frames.length).toBe(drawn);
    expect(ui.frames.some((f) => /› \d +2026-01-05 1[1-9]:/.test(f))).toBe(false);
  });
});
