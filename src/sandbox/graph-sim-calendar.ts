import { createHash, randomUUID } from 'node:crypto';
import { applyPatch, attendee, organizerOf, toMillis } from './graph-sim-fields.js';

/**
 * The bot mailbox's calendar inside the Graph simulator. Every change appends a version with a
 * global sequence number, so a delta token is just "what the calendar looked like at sequence
 * N" and the changes since are computed from the history, as Exchange's sync state does.
 *
 * Recurring series: a master (type seriesMaster, with its `recurrence`, and the first
 * occurrence's start and end, as keeper.sh#409 observed) and one event per occurrence. Edits of
 * the master reach its occurrences that are not exceptions; an occurrence edited on its own
 * becomes an exception. A version can be `quiet`: it changes what the event is, but delta does
 * not report it, which is how the real service treats occurrences (see graph-sim-series.ts).
 */
export interface SimAttendeeInput {
  email: string;
  name?: string;
  type?: 'required' | 'optional' | 'resource';
  response?: 'none' | 'accepted' | 'declined' | 'tentativelyAccepted' | 'notResponded';
}

export interface SimEventInput {
  id?: string;
  subject?: string;
  body?: string;
  start: Date | number | string;
  end: Date | number | string;
  organizer: string | { email: string; name?: string };
  attendees?: Array<string | SimAttendeeInput>;
  isAllDay?: boolean;
  location?: string;
  joinUrl?: string;
  /** The bot's own answer (responseStatus.response); default notResponded. */
  botResponse?: string;
  /** Shallow overrides of the rendered resource (odd payloads); undefined deletes a field. */
  extra?: Record<string, unknown>;
}

export type SimEventType = 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';

export interface SimEventData {
  subject: string;
  body: string;
  start: number;
  end: number;
  organizer: { email: string; name: string };
  attendees: Array<Required<SimAttendeeInput>>;
  isAllDay: boolean;
  isCancelled: boolean;
  location: string;
  joinUrl: string;
  botResponse: string;
  type: SimEventType;
  seriesMasterId: string | null;
  /** A master's patternedRecurrence; null for every other event. */
  recurrence: Record<string, unknown> | null;
  iCalUId: string;
  createdAt: number;
  extra: Record<string, unknown>;
}

interface Version {
  seq: number;
  deleted: boolean;
  /** Not reported by delta (the event changed without Graph listing it). */
  quiet: boolean;
  data: SimEventData;
  changeKey: string;
  modifiedAt: number;
}

export interface Window {
  start: number;
  end: number;
}

export type DeltaEntry = { id: string; removed: false; data: SimEventData; changeKey: string; modifiedAt: number } | { id: string; removed: true };

/** The fields of a series that its master holds and its plain occurrences share. */
const SHARED: Array<keyof SimEventData> = ['subject', 'body', 'organizer', 'attendees', 'isAllDay', 'isCancelled', 'location', 'joinUrl', 'botResponse', 'extra'];

export class SimCalendar {
  private readonly events = new Map<string, Version[]>();
  /** Master id -> its occurrence ids, in start order as created. */
  readonly series = new Map<string, string[]>();
  private counter = 0;
  seq = 0;

  constructor(private readonly now: () => number) {}

  add(input: SimEventInput, shape: Partial<Pick<SimEventData, 'type' | 'seriesMasterId' | 'iCalUId' | 'recurrence'>> = {}, quiet = false): string {
    const id = input.id ?? this.newId();
    if (this.events.has(id)) throw new Error(`event ${id} already exists`);
    const data: SimEventData = {
      subject: input.subject ?? 'Meeting',
      body: input.body ?? '',
      start: toMillis(input.start),
      end: toMillis(input.end),
      organizer: organizerOf(input.organizer),
      attendees: (input.attendees ?? []).map(attendee),
      isAllDay: input.isAllDay ?? false,
      isCancelled: false,
      location: input.location ?? '',
      joinUrl: input.joinUrl ?? '',
      botResponse: input.botResponse ?? 'notResponded',
      type: shape.type ?? 'singleInstance',
      seriesMasterId: shape.seriesMasterId ?? null,
      recurrence: shape.recurrence ?? null,
      iCalUId: shape.iCalUId ?? `040000008200E00074C5B7101A82E008${createHash('sha1').update(id).digest('hex').toUpperCase()}`,
      createdAt: this.now(),
      extra: input.extra ?? {},
    };
    this.push(id, data, false, quiet);
    if (data.type === 'occurrence' && data.seriesMasterId) this.series.set(data.seriesMasterId, [...(this.series.get(data.seriesMasterId) ?? []), id]);
    return id;
  }

  /**
   * Changes fields of a live event (a new version, a new change key). On a master, the change
   * reaches every occurrence that is not an exception (as `quiet` versions when `quietOccurrences`);
   * on an occurrence, any edit makes it an exception, as in Outlook.
   */
  update(id: string, patch: Partial<Omit<SimEventInput, 'id'>>, quietOccurrences = false): void {
    const current = this.liveVersion(id);
    const data = applyPatch(current.data, patch);
    if (data.type === 'occurrence') data.type = 'exception';
    this.push(id, data, false, false);
    if (data.type === 'seriesMaster') this.spread(id, data, quietOccurrences);
  }

  setCancelled(id: string, cancelled: boolean, quietOccurrences = false): void {
    const current = this.liveVersion(id);
    const subject = current.data.subject.replace(/^Canceled: /, '');
    const data = { ...current.data, isCancelled: cancelled, subject: cancelled ? `Canceled: ${subject}` : subject };
    this.push(id, data, false, false);
    if (data.type === 'seriesMaster') this.spread(id, data, quietOccurrences);
  }

  /** Deletes the event (a master takes its occurrences with it; `quiet` hides the deletion from delta). */
  delete(id: string, quiet = false, quietOccurrences = quiet): void {
    const current = this.liveVersion(id);
    this.push(id, current.data, true, quiet);
    for (const occurrence of this.series.get(id) ?? []) {
      const v = this.current(occurrence);
      if (v && !v.deleted) this.push(occurrence, v.data, true, quietOccurrences);
    }
  }

  /** Brings a deleted event back with its old id (an undo, or an event moved back into view). */
  restore(id: string): void {
    const current = this.current(id);
    if (!current) throw new Error(`no event ${id}`);
    this.push(id, { ...current.data, isCancelled: false, subject: current.data.subject.replace(/^Canceled: /, '') }, false, false);
  }

  live(id: string): { data: SimEventData; changeKey: string; modifiedAt: number } | undefined {
    const current = this.current(id);
    return current && !current.deleted ? current : undefined;
  }

  get size(): number {
    return this.events.size;
  }

  /**
   * Live events overlapping `window` at sequence `seq`, in start order (a full sync's pages),
   * grouped so a series (its occurrences, then its master when `withMasters`) stays together:
   * "series won't be split on multiple delta pages" (microsoftgraph/microsoft-graph-docs#4501).
   */
  snapshot(window: Window, seq: number, withMasters: boolean): string[][] {
    const groups = new Map<string, { start: number; ids: string[] }>();
    for (const [id, versions] of this.events) {
      const v = versionAt(versions, seq);
      if (!v || v.deleted || v.data.type === 'seriesMaster' || !overlaps(v.data, window)) continue;
      const key = v.data.seriesMasterId ?? id;
      const group = groups.get(key) ?? { start: v.data.start, ids: [] };
      group.ids.push(id);
      group.start = Math.min(group.start, v.data.start);
      groups.set(key, group);
    }
    const sorted = [...groups.entries()].sort((a, b) => a[1].start - b[1].start || (a[0] < b[0] ? -1 : 1));
    return sorted.map(([key, group]) => {
      const ids = group.ids.sort((x, y) => this.startAt(x, seq) - this.startAt(y, seq));
      const master = this.events.has(key) && key !== ids[0] ? versionAt(this.events.get(key)!, seq) : undefined;
      return withMasters && master && !master.deleted ? [...ids, key] : ids;
    });
  }

  /**
   * What changed in (from, to] as seen through `window`: events now in it in full, events that
   * left it (deleted, moved out) as removals, quiet versions left out. A master counts as in the
   * window while one of its occurrences is. Ordered by change, a series kept on one page.
   */
  changes(window: Window, from: number, to: number, withMasters: boolean): DeltaEntry[][] {
    const out: Array<{ entries: DeltaEntry[]; at: number; key: string }> = [];
    const byKey = new Map<string, { entries: DeltaEntry[]; at: number; key: string }>();
    for (const [id, versions] of this.events) {
      const changed = versions.filter((v) => v.seq > from && v.seq <= to && !v.quiet);
      if (changed.length === 0) continue;
      const before = versionAt(versions, from);
      const after = versionAt(versions, to)!;
      const isMaster = after.data.type === 'seriesMaster';
      if (isMaster && !withMasters) continue;
      const wasIn = before !== undefined && !before.deleted && (isMaster ? this.seriesOverlaps(id, window, from) : overlaps(before.data, window));
      const isIn = !after.deleted && (isMaster ? this.seriesOverlaps(id, window, to) : overlaps(after.data, window));
      const at = changed[changed.length - 1]!.seq;
      const entry: DeltaEntry | undefined = isIn ? { id, removed: false, data: after.data, changeKey: after.changeKey, modifiedAt: after.modifiedAt } : wasIn ? { id, removed: true } : undefined;
      if (!entry) continue;
      const key = isMaster ? id : after.data.seriesMasterId ?? id;
      const group = byKey.get(key) ?? { entries: [], at, key };
      if (!byKey.has(key)) {
        byKey.set(key, group);
        out.push(group);
      }
      group.entries.push(entry);
      group.at = Math.max(group.at, at);
    }
    // The master after its occurrences: a client must read the whole page before filling them in.
    for (const group of out) group.entries.sort((a, b) => Number(a.id === group.key) - Number(b.id === group.key));
    return out.sort((a, b) => a.at - b.at).map((g) => g.entries);
  }

  entryAt(id: string, seq: number): DeltaEntry | undefined {
    const v = versionAt(this.events.get(id) ?? [], seq);
    if (!v) return undefined;
    return v.deleted ? { id, removed: true } : { id, removed: false, data: v.data, changeKey: v.changeKey, modifiedAt: v.modifiedAt };
  }

  private seriesOverlaps(masterId: string, window: Window, seq: number): boolean {
    return (this.series.get(masterId) ?? []).some((id) => {
      const v = versionAt(this.events.get(id) ?? [], seq);
      return v !== undefined && !v.deleted && overlaps(v.data, window);
    });
  }

  /** Copies the master's shared fields onto each live occurrence that is not an exception. */
  private spread(masterId: string, master: SimEventData, quiet: boolean): void {
    for (const id of this.series.get(masterId) ?? []) {
      const v = this.current(id);
      if (!v || v.deleted || v.data.type !== 'occurrence') continue;
      const data = { ...v.data };
      for (const key of SHARED) (data as unknown as Record<string, unknown>)[key] = master[key];
      this.push(id, data, false, quiet);
    }
  }

  private startAt(id: string, seq: number): number {
    return versionAt(this.events.get(id) ?? [], seq)?.data.start ?? 0;
  }

  private liveVersion(id: string): Version {
    const current = this.current(id);
    if (!current || current.deleted) throw new Error(`no live event ${id}`);
    return current;
  }

  private current(id: string): Version | undefined {
    const versions = this.events.get(id);
    return versions?.[versions.length - 1];
  }

  private push(id: string, data: SimEventData, deleted: boolean, quiet: boolean): void {
    const versions = this.events.get(id) ?? [];
    this.seq++;
    versions.push({ seq: this.seq, deleted, quiet, data, changeKey: randomUUID().replace(/-/g, '').slice(0, 22), modifiedAt: this.now() });
    this.events.set(id, versions);
  }

  private newId(): string {
    this.counter++;
    return `AAMkAGI2TG93AAA${Buffer.from(`evt-${this.counter}-${randomUUID()}`).toString('base64url')}=`;
  }
}

function versionAt(versions: Version[], seq: number): Version | undefined {
  let found: Version | undefined;
  for (const v of versions) {
    if (v.seq > seq) break;
    found = v;
  }
  return found;
}

function overlaps(data: SimEventData, window: Window): boolean {
  return data.start < window.end && data.end > window.start;
}
