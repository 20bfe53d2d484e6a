import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { MeetingsApp } from '../../../src/cli/tui/meetings-app.js';
import { cellWidth } from '../../../src/cli/cell-width.js';
import type { MeetingSummary } from '../../../src/lifecycle/reading/list-meetings.js';
import type { MeetingDetail } from '../../../src/lifecycle/reading/meeting-details.js';
import type { WeekSummary } from '../../../src/cli/tui/week-summary.js';
import { loadInk } from '../../../src/cli/tui/ink.js';

// The components take ink from src/cli/tui/ink.ts, filled in by loadInk() as the UI does before it renders.
beforeAll(() => loadInk());

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const ENTER = '\r';
const sara = { id: 1, email: 'sara@company.com', name: 'Sara Lopez' };

function meeting(id: number, title: string, score: number | null): MeetingSummary {
  return {
    id, title, status: 'plan_sent', source: 'graph', startAt: T0 + id * 3_600_000, endAt: T0 + id * 3_600_000 + 1_800_000,
    organizerEmail: sara.email, user: sara, clients: [{ name: 'Ana Ruiz', email: 'ana@acme.com', company: 'Acme' }],
    markers: { plan: true, reminder: false, note: false }, hubspotNoteId: null, series: null, score,
  };
}

const MEETINGS = [meeting(1, 'Acme renewal', 7), meeting(2, 'Globex intro', null), meeting(3, 'Initech demo', 10)];

function detailOf(m: MeetingSummary): MeetingDetail {
  return {
    ...m, bodyPreview: null, location: null, joinUrl: null, eventId: `evt-${m.id}`, occurrenceKind: null,
    plan: null, outcome: null, lastReply: null, roleplayScore: m.score, clientsDetail: [], user: { ...sara, phone: '+14155552671', timezone: 'UTC' },
    messages: [], jobs: [], createdAt: T0, updatedAt: T0,
    roleplays: m.score === null ? [] : [{
      id: 1, startedAt: T0 - 600_000, scoredAt: T0 - 60_000, difficulty: 'hard', focus: 'discovery', score: m.score,
      rubric: { discovery: 5, objectionHandling: 8, nextStep: 7 }, summary: 'Good recovery on price', tips: ['Ask who signs'],
      transcript: [{ from: 'bot', text: 'We are happy with our vendor.' }, { from: 'salesperson', text: 'What would make you switch?' }],
    }],
  };
}

function setup(options: { columns?: number; loadSummary?: () => Promise<WeekSummary>; loadMeetings?: () => Promise<MeetingSummary[]> } = {}) {
  const ui = render(
    <MeetingsApp
      loadMeetings={options.loadMeetings ?? (async () => MEETINGS)}
      loadDetail={async (id) => detailOf(MEETINGS.find((m) => m.id === id)!)}
      loadSummary={options.loadSummary}
      refreshMs={0}
      timeZone="UTC"
      now={() => T0}
    />,
  );
  if (options.columns) {
    Object.defineProperty(ui.stdout, 'columns', { value: options.columns, configurable: true });
    ui.stdout.emit('resize');
  }
  return ui;
}

async function until(ui: ReturnType<typeof render>, check: (frame: string) => boolean): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const frame = ui.lastFrame() ?? '';
    if (check(frame)) return frame;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`UI never showed the expected frame; last frame:\n${ui.lastFrame()}`);
}

afterEach(() => cleanup());

describe('practice scores in the meetings UI', () => {
  it('shows each meeting\'s latest practice score in a SCORE column at the end, blank without one', async () => {
    const ui = setup();
    const frame = await until(ui, (f) => f.includes('Initech demo'));
    const lines = frame.split('\n');
    const header = lines[1]!;
    expect(header).toMatch(/STATUS +P R N +SCORE$/);
    const scoreEnd = cellWidth(header);
    const row = (title: string) => lines.find((l) => l.includes(title))!;
    // Right-aligned under the header: "7/10" and "10/10" end where SCORE ends.
    expect(row('Acme renewal')).toMatch(/P · · +7\/10$/);
    expect(cellWidth(row('Acme renewal').trimEnd())).toBe(scoreEnd);
    expect(cellWidth(row('Initech demo').trimEnd())).toBe(scoreEnd);
    expect(row('Initech demo')).toMatch(/ 10\/10$/);
    expect(row('Globex intro')).toMatch(/P · · *$/);
  });

  it('drops the score column on a narrow terminal before the id and the status', async () => {
    const ui = setup({ columns: 50 });
    const frame = await until(ui, (f) => f.includes('Acme'));
    expect(frame.split('\n')[1]).toMatch(/ID .*STATUS$/);
    expect(frame).not.toContain('SCORE');
    expect(frame).not.toContain('7/10');
    for (const line of frame.split('\n')) expect(cellWidth(line), line).toBeLessThanOrEqual(50);
  });

  it('opens on Enter a detail view with each role-play: score, rubric parts, summary, tips and transcript', async () => {
    const ui = setup();
    await until(ui, (f) => f.includes('Acme renewal'));
    ui.stdin.write(ENTER);
    // The 24-row frame shows the top of the detail; scroll down to the practice.
    await until(ui, (f) => f.includes('Role-play score: 7/10 (latest practice)'));
    ui.stdin.write(' ');
    const frame = await until(ui, (f) => f.includes('Role-plays') && f.includes('What would make you switch?'));
    expect(frame).toMatch(/#1 scored 2026-01-05 08:59: 7\/10 {2}\(hard, leaning on discovery\)/);
    expect(frame).toContain('Discovery 5/10 · Objection handling 8/10 · Next step 7/10');
    expect(frame).toContain('Summary: Good recovery on price');
    expect(frame).toContain('Tip: Ask who signs');
    expect(frame).toContain('Client: We are happy with our vendor.');
    expect(frame).toContain('Salesperson: What would make you switch?');
  });
});

describe('the report line at the top of the meetings UI', () => {
  const SUMMARY = {
    line: 'Team, last 7 days: 12 meetings · 9 plans sent · 5 role-plays, avg 6.8 (+0.4) · 3 outcomes missing',
    short: '7 days: 12 meetings · 9 plans · 5 role-plays 6.8 · 3 missing',
  };

  it('is asked for only once the list is drawn, and shows the last 7 days\' figures when they come', async () => {
    let answer!: (summary: WeekSummary) => void;
    let list!: (meetings: MeetingSummary[]) => void;
    const loadSummary = vi.fn(() => new Promise<WeekSummary>((resolve) => { answer = resolve; }));
    const ui = setup({ loadSummary, loadMeetings: () => new Promise((resolve) => { list = resolve; }) });
    await until(ui, (f) => f.includes('loading…'));
    await new Promise((r) => setTimeout(r, 50));
    // The report's queries would hold up the list's (SQLite answers one at a time): first the list.
    expect(loadSummary).not.toHaveBeenCalled();
    list(MEETINGS);
    // The list does not wait for the report.
    const before = await until(ui, (f) => f.includes('Acme renewal'));
    expect(before.split('\n')[1]).toBe('Last 7 days: …');
    await vi.waitFor(() => expect(loadSummary).toHaveBeenCalledTimes(1));
    answer(SUMMARY);
    const after = await until(ui, (f) => f.includes('Team, last 7 days'));
    const lines = after.split('\n');
    expect(lines[0]).toMatch(/^rolplay meetings/);
    expect(lines[1]).toBe('Team, last 7 days: 12 meetings · 9 plans sent · 5 role-plays, avg 6.8 (+0.4) · 3 outcomes missing');
    expect(lines[2]).toMatch(/^ {2}ID +START/);
    // The table gave a row to the line: the frame still fits the 24-row terminal.
    expect(lines.length).toBeLessThanOrEqual(24);
  });

  it('is the short form on a terminal too narrow for the long one', async () => {
    const ui = setup({ columns: 64, loadSummary: async () => SUMMARY });
    const frame = await until(ui, (f) => f.includes('role-plays 6.8'));
    expect(frame.split('\n')[1]).toBe(SUMMARY.short);
  });

  it('says in that line when the report cannot be read, and the list stays usable', async () => {
    const ui = setup({ loadSummary: async () => { throw new Error('database is locked'); } });
    const frame = await until(ui, (f) => f.includes('cannot read the report'));
    expect(frame).toContain('Last 7 days: cannot read the report: database is locked');
    expect(frame).toContain('Initech demo');
  });

  it('is not drawn at all without a report to show', async () => {
    const ui = setup();
    const frame = await until(ui, (f) => f.includes('Acme renewal'));
    expect(frame).not.toContain('Last 7 days');
    expect(frame.split('\n')[1]).toMatch(/^ {2}ID +START/);
  });
});
