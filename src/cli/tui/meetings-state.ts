import { MEETING_STATUSES, type MeetingStatus } from '../../store/database.js';
import { searchText, type MeetingSummary } from '../../lifecycle/reading/list-meetings.js';
import type { MeetingDetail } from '../../lifecycle/reading/meeting-details.js';

/**
 * The meetings UI as a reducer. Keys are folded into the state in order, so fast typing (or a
 * paste) never reaches a handler that has not seen the previous key's effect; the side effects
 * a key asks for (open a detail, replay, quit) are left in `effect` for the component to run.
 */
export type Mode = 'list' | 'search' | 'detail' | 'confirm';

export type Effect =
  | { kind: 'open'; id: number }
  | { kind: 'replay'; id: number }
  | { kind: 'quit' };

export interface UiState {
  meetings: MeetingSummary[] | undefined;
  rows: MeetingSummary[];
  query: string;
  statusIndex: number;
  unmatched: boolean;
  mode: Mode;
  cursor: number;
  offset: number;
  selectedId: number | undefined;
  detail: MeetingDetail | undefined;
  detailOffset: number;
  detailLength: number;
  confirm: { id: number; title: string } | undefined;
  notice: string | undefined;
  error: string | undefined;
  effect: (Effect & { seq: number }) | undefined;
  height: number;
}

export interface KeyPress {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export type Action =
  | { type: 'key'; key: KeyPress; canReplay: boolean }
  /** `now` on the first load puts the cursor on the first meeting not yet over. */
  | { type: 'loaded'; meetings: MeetingSummary[]; now?: number }
  | { type: 'load-failed'; error: string }
  | { type: 'detail'; detail: MeetingDetail; length: number; keepOffset?: boolean }
  | { type: 'notice'; text: string | undefined }
  | { type: 'resize'; height: number };

/**
 * Keys that arrive together (typed fast, or pasted: ink then hands over one string) as single
 * presses, so "/acme⏎" searches for "acme" instead of being one unknown key.
 */
export function splitKeys(input: string): KeyPress[] {
  return [...input].map((ch) => {
    if (ch === '\r' || ch === '\n') return { input: '', return: true };
    if (ch === '\u007f' || ch === '\b') return { input: '', backspace: true };
    if (ch === '\u001b') return { input: '', escape: true };
    return { input: ch };
  });
}

export function initialState(height: number): UiState {
  return {
    meetings: undefined, rows: [], query: '', statusIndex: -1, unmatched: false, mode: 'list', cursor: 0, offset: 0,
    selectedId: undefined, detail: undefined, detailOffset: 0, detailLength: 0, confirm: undefined, notice: undefined,
    error: undefined, effect: undefined, height,
  };
}

export function currentStatus(state: UiState): MeetingStatus | undefined {
  return state.statusIndex < 0 ? undefined : MEETING_STATUSES[state.statusIndex];
}

const withEffect = (state: UiState, effect: Effect): UiState => ({ ...state, effect: { ...effect, seq: (state.effect?.seq ?? 0) + 1 } });

export function reduce(state: UiState, action: Action): UiState {
  switch (action.type) {
    case 'loaded': {
      const first = state.meetings === undefined && state.selectedId === undefined && action.now !== undefined
        ? action.meetings.find((m) => m.endAt >= action.now!)?.id
        : undefined;
      const next = refilter({ ...state, meetings: action.meetings, error: undefined, selectedId: first ?? state.selectedId });
      // Upcoming meetings at the top of the screen, with two past ones above for context.
      return first === undefined ? next : { ...next, offset: Math.max(0, Math.min(next.cursor - 2, next.rows.length - next.height)) };
    }
    case 'load-failed':
      return { ...state, error: action.error };
    case 'detail':
      return { ...state, mode: state.mode === 'confirm' ? 'confirm' : 'detail', detail: action.detail, detailLength: action.length, detailOffset: action.keepOffset ? Math.min(state.detailOffset, Math.max(0, action.length - state.height)) : 0 };
    case 'notice':
      return { ...state, notice: action.text };
    case 'resize':
      return moveTo({ ...state, height: action.height }, state.cursor);
    case 'key':
      return onKey(state, action.key, action.canReplay);
  }
}

function onKey(state: UiState, key: KeyPress, canReplay: boolean): UiState {
  const { input } = key;
  if (state.mode === 'search') {
    if (key.return) return { ...state, mode: 'list' };
    if (key.escape) return refilter({ ...state, query: '', mode: 'list' });
    if (key.backspace || key.delete) return refilter({ ...state, query: state.query.slice(0, -1) });
    if (input && !key.ctrl && !key.meta) return refilter({ ...state, query: state.query + input });
    return state;
  }
  if (state.mode === 'confirm') {
    const back: Mode = state.detail ? 'detail' : 'list';
    if ((input === 'y' || input === 'Y') && state.confirm) {
      return withEffect({ ...state, mode: back, confirm: undefined, notice: `Replaying meeting ${state.confirm.id}…` }, { kind: 'replay', id: state.confirm.id });
    }
    return { ...state, mode: back, confirm: undefined, notice: 'Replay cancelled.' };
  }
  if (input === 'q' || (key.ctrl && input === 'c')) return withEffect(state, { kind: 'quit' });
  if (input === 'r') {
    const target = state.mode === 'detail' ? state.detail : state.rows[state.cursor];
    if (!target) return state;
    if (!canReplay) return { ...state, notice: 'Replay is not available here.' };
    // Replay writes to the salesperson: without one it cannot work, so say so before asking.
    if (!target.user) return { ...state, notice: `Meeting ${target.id} cannot be replayed: ${target.organizerEmail} is not a registered salesperson (add them with \`rolplay user add\`).` };
    return { ...state, mode: 'confirm', notice: undefined, confirm: { id: target.id, title: target.title } };
  }
  if (state.mode === 'detail') {
    const max = Math.max(0, state.detailLength - state.height);
    const scroll = (by: number) => ({ ...state, detailOffset: Math.max(0, Math.min(max, state.detailOffset + by)) });
    if (key.escape || key.leftArrow || key.backspace) return { ...state, mode: 'list', detail: undefined };
    if (key.downArrow || input === 'j') return scroll(1);
    if (key.upArrow || input === 'k') return scroll(-1);
    if (key.pageDown || input === ' ') return scroll(state.height);
    if (key.pageUp) return scroll(-state.height);
    return state;
  }
  if (key.escape) return withEffect(state, { kind: 'quit' });
  if (key.downArrow || input === 'j') return moveTo(state, state.cursor + 1);
  if (key.upArrow || input === 'k') return moveTo(state, state.cursor - 1);
  if (key.pageDown) return moveTo(state, state.cursor + state.height);
  if (key.pageUp) return moveTo(state, state.cursor - state.height);
  if (key.home || input === 'g') return moveTo(state, 0);
  if (key.end || input === 'G') return moveTo(state, state.rows.length - 1);
  if (key.return) {
    const current = state.rows[state.cursor];
    return current ? withEffect(state, { kind: 'open', id: current.id }) : state;
  }
  if (input === '/') return { ...state, mode: 'search', notice: undefined };
  if (input === 's') return { ...state, statusIndex: state.statusIndex + 1 >= MEETING_STATUSES.length ? -1 : state.statusIndex + 1 };
  if (input === 'u') return { ...state, unmatched: !state.unmatched };
  return state;
}

/** Applies the text search and keeps the same meeting selected when it is still listed. */
function refilter(state: UiState): UiState {
  const q = state.query.trim().toLowerCase();
  const all = state.meetings ?? [];
  const rows = q === '' ? all : all.filter((m) => searchText(m).includes(q));
  const keep = state.selectedId === undefined ? -1 : rows.findIndex((m) => m.id === state.selectedId);
  return moveTo({ ...state, rows }, keep >= 0 ? keep : state.cursor);
}

function moveTo(state: UiState, to: number): UiState {
  const cursor = Math.max(0, Math.min(state.rows.length - 1, to));
  const offset = cursor < state.offset ? cursor : cursor >= state.offset + state.height ? cursor - state.height + 1 : Math.min(state.offset, Math.max(0, state.rows.length - state.height));
  return { ...state, cursor, offset: Math.max(0, offset), selectedId: state.rows[cursor]?.id };
}
