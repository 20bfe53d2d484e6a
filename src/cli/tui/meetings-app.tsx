import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout } from './ink.js';
import type { MeetingStatus } from '../../store/database.js';
import type { MeetingSummary } from '../../lifecycle/reading/list-meetings.js';
import type { MeetingDetail } from '../../lifecycle/reading/meeting-details.js';
import { errorMessage } from '../../support/errors.js';
import { MeetingTable } from './meeting-table.js';
import { MeetingDetailView, detailLines } from './meeting-detail-view.js';
import { currentStatus, initialState, reduce, splitKeys, type UiState } from './meetings-state.js';
import { cellWidth } from '../cell-width.js';
import { useColour } from './colours.js';
import type { WeekSummary } from './week-summary.js';

export interface MeetingsAppProps {
  /** Loads the table; the UI's own status and unmatched toggles come on top of the CLI filters. */
  loadMeetings(view: { status?: MeetingStatus; unmatched: boolean }): Promise<MeetingSummary[]>;
  loadDetail(id: number): Promise<MeetingDetail>;
  /** Regenerates and resends the plan; resolves to a line for the status bar. */
  replay?(id: number): Promise<string>;
  /** How often to reload while the daemon works (ms); 0 = never. */
  refreshMs?: number;
  /**
   * The `rolplay report` line drawn above the table ("Team, last 7 days: …"). Asked for once the
   * list is drawn, so it never delays the list, then every `summaryRefreshMs` (0 = never).
   */
  loadSummary?(): Promise<WeekSummary>;
  summaryRefreshMs?: number;
  timeZone?: string;
  /** The clock, for putting the cursor on the next meeting at start. */
  now?: () => number;
}

/**
 * The `rolplay meetings list` terminal UI. Keys: ↑/↓ (j/k) move, PgUp/PgDn, Enter details,
 * / search, s cycle status, u unmatched only, r replay (asks first), Esc back, q quit.
 */
export function MeetingsApp({ loadMeetings, loadDetail, replay, refreshMs = 2000, loadSummary, summaryRefreshMs = 10_000, timeZone, now = Date.now }: MeetingsAppProps) {
  const { exit } = useApp();
  const colour = useColour();
  const { stdout } = useStdout();
  const width = stdout.columns || 100;
  // Redraw at the new width as soon as the terminal is resized.
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    stdout.on('resize', redraw);
    return () => void stdout.off('resize', redraw);
  }, [stdout]);
  const rows = stdout.rows || 24;
  const [state, dispatch] = useReducer(reduce, Math.max(5, rows - 6), initialState);
  const message = state.mode === 'confirm' ? confirmText(state.confirm) : state.notice;
  // A message that wraps on a narrow terminal takes rows from the table, so the frame still fits.
  const height = Math.max(3, rows - 5 - (message ? Math.ceil(cellWidth(message) / width) : 1) - (loadSummary ? 1 : 0));
  const status = currentStatus(state);
  const detailId = useRef<number | undefined>(undefined);
  detailId.current = state.mode === 'detail' || state.mode === 'confirm' ? state.detail?.id : undefined;

  useEffect(() => dispatch({ type: 'resize', height }), [height]);

  const showDetail = useCallback(async (id: number, keepOffset = false) => {
    const detail = await loadDetail(id);
    dispatch({ type: 'detail', detail, length: detailLines(detail, timeZone).length, keepOffset });
  }, [loadDetail, timeZone]);

  const reload = useCallback(async () => {
    try {
      dispatch({ type: 'loaded', meetings: await loadMeetings({ status, unmatched: state.unmatched }), now: now() });
      if (detailId.current !== undefined) await showDetail(detailId.current, true);
    } catch (e) {
      dispatch({ type: 'load-failed', error: errorMessage(e) });
    }
  }, [loadMeetings, status, state.unmatched, showDetail, now]);

  const [summary, setSummary] = useState<WeekSummary | undefined>(undefined);
  const listShown = state.meetings !== undefined;
  useEffect(() => {
    if (!loadSummary || !listShown) return undefined;
    let live = true;
    const load = () => loadSummary().then(
      (lines) => live && setSummary(lines),
      (e) => {
        const line = `Last 7 days: cannot read the report: ${errorMessage(e)}`;
        if (live) setSummary({ line, short: line });
      },
    );
    void load();
    const timer = summaryRefreshMs ? setInterval(() => void load(), summaryRefreshMs) : undefined;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [loadSummary, listShown, summaryRefreshMs]);

  useEffect(() => {
    void reload();
    if (!refreshMs) return undefined;
    const timer = setInterval(() => void reload(), refreshMs);
    return () => clearInterval(timer);
  }, [reload, refreshMs]);

  // Run what the last key asked for.
  useEffect(() => {
    const effect = state.effect;
    if (!effect) return;
    if (effect.kind === 'quit') exit();
    else if (effect.kind === 'open') showDetail(effect.id).catch((e) => dispatch({ type: 'notice', text: errorMessage(e) }));
    else if (effect.kind === 'replay' && replay) {
      replay(effect.id)
        .then((text) => dispatch({ type: 'notice', text }), (e) => dispatch({ type: 'notice', text: `Replay failed: ${errorMessage(e)}` }))
        .finally(() => void reload());
    }
    // Only a new effect (a new seq) triggers this.
  }, [state.effect?.seq]);

  useInput((input, key) => {
    const canReplay = replay !== undefined;
    const named = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end || key.return || key.escape || key.backspace || key.delete || key.ctrl || key.meta || key.tab;
    if (!named && [...input].length > 1) {
      for (const k of splitKeys(input)) dispatch({ type: 'key', key: k, canReplay });
      return;
    }
    dispatch({ type: 'key', key: { ...key, input }, canReplay });
  });

  const filters = [
    `status: ${status ?? 'all'}`,
    state.unmatched ? 'unmatched only' : undefined,
    state.query ? `search: "${state.query}"` : undefined,
  ].filter(Boolean).join(' · ');
  const inDetail = (state.mode === 'detail' || (state.mode === 'confirm' && state.detail)) && state.detail;

  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold color={colour('blue')}>rolplay meetings</Text>
        <Text dimColor>  {state.meetings === undefined ? 'loading…' : `${state.rows.length} of ${state.meetings.length}`} · {filters}</Text>
      </Text>
      {loadSummary ? <Text dimColor wrap="truncate">{summary ? (cellWidth(summary.line) <= width ? summary.line : summary.short) : 'Last 7 days: …'}</Text> : null}
      {state.error ? <Text color={colour('red')}>Cannot read meetings: {state.error}</Text> : null}
      {inDetail
        ? <MeetingDetailView lines={detailLines(state.detail!, timeZone)} offset={state.detailOffset} height={height} />
        : state.meetings !== undefined && state.rows.length === 0
          ? <Text dimColor>No meetings match{state.query || status || state.unmatched ? ' these filters' : ' yet: they appear once a registered salesperson invites the bot'}.</Text>
          : <MeetingTable rows={state.rows} cursor={state.cursor} offset={state.offset} height={height} width={width} timeZone={timeZone} />}
      {state.mode === 'search' ? <Text>/{state.query}<Text inverse> </Text> <Text dimColor>(Enter to keep, Esc to clear)</Text></Text> : null}
      {message ? <Text color={colour('yellow')}>{message}</Text> : null}
      <Text dimColor wrap="truncate">{helpLine(Boolean(inDetail), width)}</Text>
    </Box>
  );
}

function confirmText(confirm: UiState['confirm']): string | undefined {
  return confirm && `Replay the plan for meeting ${confirm.id} "${confirm.title}"? It is regenerated and sent again on WhatsApp. (y/N)`;
}

const HELP: Record<'list' | 'detail', [string, string]> = {
  list: ['↑/↓ move · Enter details · / search · s status · u unmatched · r replay · q quit', '↑↓ ⏎ details / search s status u r q'],
  detail: ['↑/↓ scroll · r replay · Esc back · q quit', '↑↓ scroll r replay Esc q'],
};

/** The key help, shortened on a narrow terminal rather than wrapped. */
function helpLine(inDetail: boolean, width: number): string {
  const [long, short] = inDetail ? HELP.detail : HELP.list;
  return long.length <= width ? long : short;
}
