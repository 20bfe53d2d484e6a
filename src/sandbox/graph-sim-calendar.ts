import { createHash, randomUUID } from 'node:crypto';
import { formatGraphDateTime } from '../domain/graph-time.js';

/**
 * The bot mailbox's calendar inside the Graph simulator. Every change appends a version with a
 * global sequence number, so a delta token is just "what the calendar looked like at sequence
 * N" and the changes since are computed from the history, as Exchange's sync state does.
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
  type: 'singleInstance' | 'occurrence' | 'exception';
  seriesMasterId: string | null;
  iCalUId: string;
  createdAt: number;
  extra: Record<string, unknown>;
}

interface Version {
  seq: number;
  deleted: boolean;
  data: SimEventData;
  changeKey: string;
  modifiedAt: number;
}

export interface Window {
  start: number;
  end: number;
}

export type DeltaEntry = { id: string; removed: false; data: SimEventData; changeKey: string; modifiedAt: number } | { id: string; removed: true };

export class SimCalendar {
  private readonly events = new Map<string, Version[]>();
  private counter = 0;
  seq = 0;

  constructor(private readonly now: () => number) {}

  add(input: SimEventInput, shape: Partial<Pick<SimEventData, 'type' | 'seriesMasterId' | 'iCalUId'>> = {}): string {
    const id = input.id ?? this.newId();
    if (this.events.has(id)) throw new Error(`event ${id} already exists`);
    const organizer = typeof input.organizer === 'string' ? { email: input.organizer, name: nameOf(input.organizer) } : { email: input.organizer.email, name: input.organizer.name ?? nameOf(input.organizer.email) };
    const data: SimEventData = {
      subject: input.subject ?? 'Meeting',
      body: input.body ?? '',
      start: toMillis(input.start),
      end: toMillis(input.end),
      organizer,
      attendees: (input.attendees ?? []).map(attendee),
      isAllDay: input.isAllDay ?? false,
      isCancelled: false,
      location: input.location ?? '',
      joinUrl: input.joinUrl ?? '',
      botResponse: input.botResponse ?? 'notResponded',
      type: shape.type ?? 'singleInstance',
      seriesMasterId: shape.seriesMasterId ?? null,
      iCalUId: shape.iCalUId ?? `040000008200E00074C5B7101A82E008${createHash('sha1').update(id).digest('hex').toUpperCase()}`,
      createdAt: this.now(),
      extra: input.extra ?? {},
    };
    this.push(id, data, false);
    return id;
  }

  /** Changes fields of a live event (a new version, a new change key). */
  update(id: string, patch: Partial<Omit<SimEventInput, 'id'>>): void {
    const current = this.current(id);
    if (!current || current.deleted) throw new Error(`no live event ${id}`);
    const data: SimEventData = { ...current.data };
    if (patch.subject !== undefined) data.subject = patch.subject;
    if (patch.body !== undefined) data.body = patch.body;
    if (patch.start !== undefined) data.start = toMillis(patch.start);
    if (patch.end !== undefined) data.end = toMillis(patch.end);
    if (patch.organizer !== undefined) data.organizer = typeof patch.organizer === 'string' ? { email: patch.organizer, name: nameOf(patch.organizer) } : { email: patch.organizer.email, name: patch.organizer.name ?? nameOf(patch.organizer.email) };
    if (patch.attendees !== undefined) data.attendees = patch.attendees.map(attendee);
    if (patch.isAllDay !== undefined) data.isAllDay = patch.isAllDay;
    if (patch.location !== undefined) data.location = patch.location;
    if (patch.joinUrl !== undefined) data.joinUrl = patch.joinUrl;
    if (patch.botResponse !== undefined) data.botResponse = patch.botResponse;
    if (patch.extra !== undefined) data.extra = { ...data.extra, ...patch.extra };
    // Moving one occurrence of a series makes it an exception, as in Outlook.
    if ((patch.start !== undefined || patch.end !== undefined) && data.type === 'occurrence') data.type = 'exception';
    this.push(id, data, false);
  }

  setCancelled(id: string, cancelled: boolean): void {
    const current = this.current(id);
    if (!current || current.deleted) throw new Error(`no live event ${id}`);
    const subject = current.data.subject.replace(/^Canceled: /, '');
    this.push(id, { ...current.data, isCancelled: cancelled, subject: cancelled ? `Canceled: ${subject}` : subject }, false);
  }

  delete(id: string): void {
    const current = this.current(id);
    if (!current || current.deleted) throw new Error(`no live event ${id}`);
    this.push(id, current.data, true);
  }

  /** Brings a deleted event back with its old id (an undo, or an event moved back into view). */
  restore(id: string): void {
    const current = this.current(id);
    if (!current) throw new Error(`no event ${id}`);
    this.push(id, { ...current.data, isCancelled: false, subject: current.data.subject.replace(/^Canceled: /, '') }, false);
  }

  live(id: string): { data: SimEventData; changeKey: string; modifiedAt: number } | undefined {
    const current = this.current(id);
    return current && !current.deleted ? current : undefined;
  }

  get size(): number {
    return this.events.size;
  }

  /** Live events overlapping `window` at sequence `seq`, in start order (a full sync's pages). */
  snapshot(window: Window, seq: number): string[] {
    const rows: Array<{ id: string; start: number }> = [];
    for (const [id, versions] of this.events) {
      const v = versionAt(versions, seq);
      if (v && !v.deleted && overlaps(v.data, window)) rows.push({ id, start: v.data.start });
    }
    rows.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
    return rows.map((r) => r.id);
  }

  /**
   * What changed in (from, to] as seen through `window`: events now in it in full, events that
   * left it (deleted, cancelled-and-deleted, moved out) as removals. Ordered by change.
   */
  changes(window: Window, from: number, to: number): DeltaEntry[] {
    const out: Array<DeltaEntry & { at: number }> = [];
    for (const [id, versions] of this.events) {
      const changed = versions.filter((v) => v.seq > from && v.seq <= to);
      if (changed.length === 0) continue;
      const before = versionAt(versions, from);
      const after = versionAt(versions, to)!;
      const wasIn = before !== undefined && !before.deleted && overlaps(before.data, window);
      const isIn = !after.deleted && overlaps(after.data, window);
      const at = changed[changed.length - 1]!.seq;
      if (isIn) out.push({ id, removed: false, data: after.data, changeKey: after.changeKey, modifiedAt: after.modifiedAt, at });
      else if (wasIn) out.push({ id, removed: true, at });
    }
    out.sort((a, b) => a.at - b.at);
    return out;
  }

  entryAt(id: string, seq: number): DeltaEntry | undefined {
    const v = versionAt(this.events.get(id) ?? [], seq);
    if (!v) return undefined;
    return v.deleted ? { id, removed: true } : { id, removed: false, data: v.data, changeKey: v.changeKey, modifiedAt: v.modifiedAt };
  }

  private current(id: string): Version | undefined {
    const versions = this.events.get(id);
    return versions?.[versions.length - 1];
  }

  private push(id: string, data: SimEventData, deleted: boolean): void {
    const versions = this.events.get(id) ?? [];
    this.seq++;
    versions.push({ seq: this.seq, deleted, data, changeKey: randomUUID().replace(/-/g, '').slice(0, 22), modifiedAt: this.now() });
    this.events.set(id, versions);
  }

  private newId(): string {
    this.counter++;
    return `AAMkAGI2TG93AAA${Buffer.from(`evt-${this.counter}-${randomUUID()}`).toString('base64url')}=`;
  }
}

/** The Graph event resource, with times rendered in `zone` (Prefer: outlook.timezone). */
export function renderEvent(id: string, data: SimEventData, changeKey: string, modifiedAt: number, botEmail: string, zone: string | undefined): Record<string, unknown> {
  const tz = zone ?? 'UTC';
  const bot = botEmail.toLowerCase();
  const resource: Record<string, unknown> = {
    '@odata.etag': `W/"${changeKey}"`,
    id,
    createdDateTime: new Date(data.createdAt).toISOString(),
    lastModifiedDateTime: new Date(modifiedAt).toISOString(),
    changeKey,
    categories: [],
    originalStartTimeZone: 'UTC',
    originalEndTimeZone: 'UTC',
    iCalUId: data.iCalUId,
    uid: data.iCalUId,
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    subject: data.subject,
    bodyPreview: data.body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 255),
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: data.isAllDay,
    isCancelled: data.isCancelled,
    isOrganizer: data.organizer.email.toLowerCase() === bot,
    responseRequested: true,
    seriesMasterId: data.seriesMasterId,
    showAs: data.isCancelled ? 'free' : 'tentative',
    type: data.type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: data.joinUrl !== '',
    onlineMeetingProvider: data.joinUrl !== '' ? 'teamsForBusiness' : 'unknown',
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: { response: data.botResponse, time: '0001-01-01T00:00:00Z' },
    body: { contentType: 'html', content: data.body === '' ? '' : `<html><body>${data.body}</body></html>` },
    start: { dateTime: formatGraphDateTime(data.start, tz), timeZone: tz },
    end: { dateTime: formatGraphDateTime(data.end, tz), timeZone: tz },
    location: { displayName: data.location, locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} },
    locations: data.location === '' ? [] : [{ displayName: data.location, locationType: 'default', uniqueIdType: 'unknown' }],
    recurrence: null,
    attendees: data.attendees.map((a) => ({ type: a.type, status: { response: a.response, time: '0001-01-01T00:00:00Z' }, emailAddress: { name: a.name, address: a.email } })),
    organizer: { emailAddress: { name: data.organizer.name, address: data.organizer.email } },
    onlineMeeting: data.joinUrl === '' ? null : { joinUrl: data.joinUrl },
  };
  for (const [key, value] of Object.entries(data.extra)) {
    if (value === undefined) delete resource[key];
    else resource[key] = value;
  }
  return resource;
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

function attendee(input: string | SimAttendeeInput): Required<SimAttendeeInput> {
  const a = typeof input === 'string' ? { email: input } : input;
  return { email: a.email, name: a.name ?? nameOf(a.email), type: a.type ?? 'required', response: a.response ?? 'none' };
}

function nameOf(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local.split(/[._-]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}

function toMillis(value: Date | number | string): number {
  const at = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(at)) throw new Error(`bad time ${String(value)}`);
  return at;
}
