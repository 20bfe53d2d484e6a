/**
 * A meeting's place in its recurring series: the `index`-th of the `count` meetings of the
 * series rolplay knows that are not cancelled, by start time ("↻ 3/12"). `index` is null for a
 * cancelled meeting, which has no place among them.
 */
export interface SeriesMark {
  masterId: string;
  index: number | null;
  count: number;
}

export interface SeriesMember {
  id: number;
  series_master_id: string | null;
  status: string;
}

/**
 * The marks of the series meetings in `members`: every stored meeting of each series it holds,
 * each series in start order (series may be interleaved, as in a list by start time). Single
 * meetings (no series) get no mark.
 */
export function seriesMarks(members: SeriesMember[]): Map<number, SeriesMark> {
  // One map lookup per meeting (ids are long strings): the count is filled in at the end.
  const series = new Map<string, { live: number; marks: SeriesMark[] }>();
  const marks = new Map<number, SeriesMark>();
  for (const m of members) {
    const masterId = m.series_master_id;
    if (masterId === null) continue;
    let state = series.get(masterId);
    if (!state) series.set(masterId, (state = { live: 0, marks: [] }));
    const mark: SeriesMark = { masterId, index: m.status === 'cancelled' ? null : ++state.live, count: 0 };
    state.marks.push(mark);
    marks.set(m.id, mark);
  }
  for (const { live, marks: ofSeries } of series.values()) for (const mark of ofSeries) mark.count = live;
  return marks;
}
