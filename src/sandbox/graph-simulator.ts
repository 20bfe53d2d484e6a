import { randomUUID } from 'node:crypto';
import { startSim, type Fault, type FaultPlan, type RunningSim, type SimReply, type SimRequest } from './http-sim.js';
import { SimCalendar, type DeltaEntry, type SimEventInput } from './graph-sim-calendar.js';
import { renderEvent, renderSparseOccurrence } from './graph-sim-render.js';
import { recurrenceOf } from './graph-sim-series.js';
import { decodeToken, encodeToken, type TokenState } from './graph-sim-tokens.js';
import type { TokenSim } from './microsoft-token-simulator.js';

export type { SimEventInput, SimAttendeeInput } from './graph-sim-calendar.js';

/**
 * A loopback Microsoft Graph v1.0 for the bot mailbox's calendar: calendarView delta (full
 * sync over a window, paging by Prefer: odata.maxpagesize, absolute https://graph.microsoft.com
 * next and delta links, @removed entries, cancelled events, recurring series, times in the
 * Prefer: outlook.timezone zone), GET and accept of one event, Bearer tokens checked against
 * the token simulator with their application permissions, Graph's error bodies, 429 with
 * Retry-After, and 410 SyncStateNotFound for a stale link. Tests and `rolplay demo` drive the
 * calendar through the methods below.
 */
export const GRAPH_PUBLIC_BASE = 'https://graph.microsoft.com/v1.0';

export interface GraphSimOptions {
  /** The bot mailbox (the only mailbox that exists here). */
  botEmail: string;
  /** Checks Bearer tokens; without it any non-empty token with both calendar permissions passes. */
  tokens?: Pick<TokenSim, 'check'>;
  /** Mailboxes the app may open (Exchange RBAC for Applications); default: the bot's. */
  allowedMailboxes?: string[];
  /** Page size without Prefer: odata.maxpagesize. */
  defaultPageSize?: number;
  /** Largest page honoured. */
  maxPageSize?: number;
  /** A new delta token even when nothing changed (real Graph may do this). */
  rotateDeltaTokens?: boolean;
  /**
   * How delta lists the occurrences of a series. sparse (default, what users report:
   * microsoftgraph/microsoft-graph-docs#1716, #7632, #22197, microsoft-graph-docs-contrib#34):
   * each occurrence with only id, type, seriesMasterId, start and end, plus the series master
   * in full with its recurrence; an edit of the master lists the master only. full (what the
   * event-delta reference page describes): every occurrence as a full event, no master, and an
   * edit of the master lists every occurrence again. Exceptions are full events either way.
   */
  occurrenceShape?: 'sparse' | 'full';
  /**
   * silent (default): a single occurrence cancelled or deleted leaves delta without an
   * @removed entry ("No indication is given for a deleted occurrence",
   * microsoftgraph/microsoft-graph-docs#4501); removed: it comes as @removed like any event.
   */
  occurrenceRemovals?: 'silent' | 'removed';
  /**
   * false: a full sync lists sparse occurrences without their master, which a client must then
   * read with GET /events/{seriesMasterId} (reported for series that started before the window,
   * ridafkih/keeper.sh#409); a master that changed is still listed by later delta rounds.
   * Default true: the master is on its occurrences' page.
   */
  listMasters?: boolean;
  now?: () => number;
  faults?: FaultPlan;
  port?: number;
}

export interface GraphSim {
  url: string;
  requests: SimRequest[];
  sim: RunningSim;
  /** Adds an invitation to the bot's calendar; returns its event id. */
  addEvent(input: SimEventInput): string;
  updateEvent(id: string, patch: Partial<Omit<SimEventInput, 'id'>>): void;
  moveEvent(id: string, start: Date | number | string, end: Date | number | string): void;
  /** The organizer cancels: the event stays, with isCancelled true and "Canceled: " in the subject. */
  cancelEvent(id: string): void;
  /** The event disappears from the calendar (comes back as @removed). */
  deleteEvent(id: string): void;
  restoreEvent(id: string): void;
  /**
   * A recurring series: its master (type seriesMaster, with recurrence, timed as its first
   * occurrence) and `occurrences` occurrences every `everyDays` days.
   */
  addSeries(input: SimEventInput & { occurrences: number; everyDays: number }): { masterId: string; occurrenceIds: string[] };
  /** The organizer edits the whole series: its occurrences that are not exceptions follow. */
  updateSeries(masterId: string, patch: Partial<Omit<SimEventInput, 'id'>>): void;
  /** The organizer cancels the whole series (the master becomes isCancelled). */
  cancelSeries(masterId: string): void;
  /** The organizer cancels one occurrence: it disappears (see occurrenceRemovals). */
  cancelOccurrence(id: string): void;
  event(id: string): Record<string, unknown> | undefined;
  /** Event ids the bot accepted through POST …/accept, in order. */
  accepted: string[];
  /** Every delta/skip token handed out so far becomes unknown: the next use gets 410. */
  expireSyncState(): void;
  /** The next `count` Graph requests get 429 with this Retry-After (seconds). */
  throttleNext(count?: number, retryAfterSeconds?: number): void;
  failNext(fault: Fault, count?: number): void;
  /** Delta requests (pages) served so far. */
  deltaRequests(): number;
  close(): Promise<void>;
}

export async function startGraphSimulator(options: GraphSimOptions): Promise<GraphSim> {
  const now = options.now ?? Date.now;
  const bot = options.botEmail.toLowerCase();
  const allowed = new Set((options.allowedMailboxes ?? [bot]).map((m) => m.toLowerCase()));
  const calendar = new SimCalendar(now);
  const sparse = (options.occurrenceShape ?? 'sparse') === 'sparse';
  const withMasters = sparse && options.listMasters !== false;
  const silentRemovals = (options.occurrenceRemovals ?? 'silent') === 'silent';
  const accepted: string[] = [];
  const throttled: number[] = [];
  let generation = 1;
  let nonce = 0;
  let deltaCount = 0;

  const handler = (req: SimRequest): SimReply => {
    const retryAfter = throttled.shift();
    if (retryAfter !== undefined) return graphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'Retry-After': String(retryAfter) });
    const auth = authorize(req);
    if ('status' in auth) return auth;
    const segments = req.path.split('/').filter(Boolean);
    if (segments[0] !== 'v1.0' && segments[0] !== 'beta') return graphError(400, 'BadRequest', `Invalid version: ${segments[0] ?? ''}`);
    if (segments[1]?.toLowerCase() !== 'users' || !segments[2]) return graphError(400, 'BadRequest', `Resource not found for the segment '${segments[1] ?? ''}'.`);
    const user = segments[2].toLowerCase();
    if (user !== bot) {
      if (!allowed.has(user)) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      return graphError(404, 'ErrorInvalidUser', `The requested user '${segments[2]}' is invalid.`);
    }
    if (!allowed.has(bot)) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const rest = segments.slice(3).map((s) => s.toLowerCase());
    const canRead = auth.roles.some((r) => r === 'Calendars.Read' || r === 'Calendars.ReadWrite');
    if (req.method === 'GET' && rest.length === 2 && rest[0] === 'calendarview' && rest[1] === 'delta') {
      if (!canRead) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      deltaCount++;
      return delta(req, segments[2]);
    }
    if (rest[0] === 'events' && segments[4]) {
      const id = segments[4];
      const live = calendar.live(id);
      if (req.method === 'GET' && rest.length === 2) {
        if (!canRead) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
        if (!live) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
        return { status: 200, body: { '@odata.context': `${GRAPH_PUBLIC_BASE}/$metadata#users('${segments[2]}')/events/$entity`, ...renderEvent(id, live.data, live.changeKey, live.modifiedAt, bot, preferredZone(req)) } };
      }
      if (req.method === 'POST' && rest.length === 3 && rest[2] === 'accept') {
        if (!auth.roles.includes('Calendars.ReadWrite')) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
        if (!live) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
        if (live.data.organizer.email.toLowerCase() === bot) return graphError(400, 'ErrorInvalidRequest', "Your request can't be completed. You can't respond to a meeting you organized.");
        calendar.update(id, { botResponse: 'accepted' }, sparse);
        accepted.push(id);
        return { status: 202, raw: '' };
      }
    }
    return graphError(400, 'BadRequest', `Resource not found for the segment '${segments[3] ?? ''}'.`);
  };

  function authorize(req: SimRequest): { roles: string[] } | SimReply {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header) : null;
    if (!match) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (!options.tokens) return { roles: ['Calendars.ReadWrite'] };
    const result = options.tokens.check(match[1]!.trim());
    if (result.ok) return { roles: result.roles };
    return graphError(401, 'InvalidAuthenticationToken', result.reason === 'expired' ? 'Lifetime validation failed, the token is expired.' : 'IDX14100: JWT is not well formed, there are no dots (.).');
  }

  function delta(req: SimRequest, userSegment: string): SimReply {
    const deltaToken = req.query.get('$deltatoken');
    const skipToken = req.query.get('$skiptoken');
    for (const key of req.query.keys()) {
      if (['$filter', '$orderby', '$search', '$expand'].includes(key.toLowerCase())) return graphError(400, 'ErrorInvalidUrlQuery', `The following parameters are not supported with change tracking over the 'CalendarView' resource: '${key}'.`);
    }
    let state: TokenState;
    if (deltaToken !== null || skipToken !== null) {
      const decoded = decodeToken(deltaToken ?? skipToken ?? '');
      if (!decoded || decoded.generation !== generation) {
        return graphError(410, 'SyncStateNotFound', `The sync state generation is not found; generation=${decoded?.generation ?? 0};[highest=${generation}].`, { Location: `${GRAPH_PUBLIC_BASE}/users/${userSegment}/calendarView/delta` });
      }
      state = deltaToken !== null ? { mode: 'delta', window: decoded.window, base: decoded.seq, seq: calendar.seq, offset: 0, generation } : decoded;
    } else {
      const start = Date.parse(req.query.get('startDateTime') ?? req.query.get('startdatetime') ?? '');
      const end = Date.parse(req.query.get('endDateTime') ?? req.query.get('enddatetime') ?? '');
      if (Number.isNaN(start) || Number.isNaN(end)) return graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
      if (end <= start) return graphError(400, 'ErrorInvalidParameter', 'The value of the parameter EndDateTime must be later than StartDateTime.');
      state = { mode: 'full', window: { start, end }, seq: calendar.seq, base: 0, offset: 0, generation };
    }
    const pageSize = pageSizeOf(req);
    const zone = preferredZone(req);
    const groups = state.mode === 'full'
      ? calendar.snapshot(state.window, state.seq, withMasters).map((ids) => ids.map((id) => calendar.entryAt(id, state.seq)!))
      : calendar.changes(state.window, state.base, state.seq, sparse);
    // Pages end between series, never inside one (microsoftgraph/microsoft-graph-docs#4501), so a
    // page may hold more than the asked size; offset counts groups.
    const page: DeltaEntry[] = [];
    let next = state.offset;
    while (next < groups.length && (page.length === 0 || page.length + groups[next]!.length <= pageSize)) page.push(...groups[next++]!);
    const value = page.map((e) => render(e, zone));
    const link = (key: string, token: TokenState) => `${GRAPH_PUBLIC_BASE}/users/${userSegment}/calendarView/delta?${key}=${encodeToken(token)}`;
    const body: Record<string, unknown> = { '@odata.context': `${GRAPH_PUBLIC_BASE}/$metadata#Collection(event)` };
    if (next < groups.length) body['@odata.nextLink'] = link('$skiptoken', { ...state, offset: next });
    else body['@odata.deltaLink'] = link('$deltatoken', { mode: 'delta', window: state.window, seq: state.seq, base: 0, offset: 0, generation, nonce: options.rotateDeltaTokens ? ++nonce : undefined });
    body.value = value;
    const headers: Record<string, string> = { 'Preference-Applied': `odata.maxpagesize=${pageSize}, odata.track-changes` };
    if (zone) headers['Preference-Applied'] += `, outlook.timezone="${zone}"`;
    return { status: 200, headers, body };
  }

  function render(entry: DeltaEntry, zone: string | undefined): Record<string, unknown> {
    if (entry.removed) return { '@odata.type': '#microsoft.graph.event', id: entry.id, '@removed': { reason: 'deleted' } };
    if (sparse && entry.data.type === 'occurrence') return renderSparseOccurrence(entry.id, entry.data, entry.changeKey, zone);
    // Delta items are typed, as the sparse items reported in microsoft-graph-docs-contrib#34 are.
    return { '@odata.type': '#microsoft.graph.event', ...renderEvent(entry.id, entry.data, entry.changeKey, entry.modifiedAt, bot, zone) };
  }

  function pageSizeOf(req: SimRequest): number {
    const prefer = String(req.headers.prefer ?? '');
    const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
    const asked = m ? Number(m[1]) : options.defaultPageSize ?? 10;
    return Math.max(1, Math.min(asked, options.maxPageSize ?? 1000));
  }

  const sim = await startSim(handler, {
    port: options.port,
    faults: options.faults,
    faultBody: (status) => status === 429
      ? { error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.', innerError: innerError() } }
      : { error: { code: status === 503 ? 'ServiceUnavailable' : 'InternalServerError', message: status === 503 ? 'Service Unavailable' : 'An internal server error occurred. The operation failed.', innerError: innerError() } },
  });

  const seriesDay = 86_400_000;
  return {
    url: sim.url,
    requests: sim.requests,
    sim,
    accepted,
    addEvent: (input) => calendar.add(input),
    updateEvent: (id, patch) => calendar.update(id, patch),
    moveEvent: (id, start, end) => calendar.update(id, { start, end }),
    cancelEvent: (id) => calendar.setCancelled(id, true, sparse),
    deleteEvent: (id) => calendar.delete(id, false, sparse),
    restoreEvent: (id) => calendar.restore(id),
    addSeries(input) {
      const masterId = `AAMkSeriesMaster${randomUUID().replace(/-/g, '')}`;
      const start = new Date(input.start).getTime();
      const end = new Date(input.end).getTime();
      calendar.add({ ...input, id: masterId, start, end }, { type: 'seriesMaster', recurrence: recurrenceOf(start, input.occurrences, input.everyDays) });
      const occurrenceIds: string[] = [];
      for (let i = 0; i < input.occurrences; i++) {
        const shift = Math.round(i * input.everyDays * seriesDay);
        // "iCalUId ... is different for each occurrence in a recurring series" (event resource page).
        occurrenceIds.push(calendar.add({ ...input, id: `${masterId}_occ${i}`, start: start + shift, end: end + shift }, {
          type: 'occurrence', seriesMasterId: masterId, iCalUId: `040000008200E00074C5B7101A82E00807E${i.toString(16).padStart(4, '0')}${masterId.slice(-24).toUpperCase()}`,
        }));
      }
      return { masterId, occurrenceIds };
    },
    updateSeries: (masterId, patch) => calendar.update(masterId, patch, sparse),
    cancelSeries: (masterId) => calendar.setCancelled(masterId, true, sparse),
    cancelOccurrence: (id) => calendar.delete(id, silentRemovals),
    event(id) {
      const live = calendar.live(id);
      return live ? renderEvent(id, live.data, live.changeKey, live.modifiedAt, bot, undefined) : undefined;
    },
    expireSyncState() {
      generation++;
    },
    throttleNext(count = 1, retryAfterSeconds = 1) {
      for (let i = 0; i < count; i++) throttled.push(retryAfterSeconds);
    },
    failNext: (fault, count) => sim.failNext(fault, count),
    deltaRequests: () => deltaCount,
    close: () => sim.close(),
  };
}

function preferredZone(req: SimRequest): string | undefined {
  const prefer = String(req.headers.prefer ?? '');
  const m = /outlook\.timezone\s*=\s*"([^"]+)"/i.exec(prefer);
  return m?.[1];
}

function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): SimReply {
  return { status, headers, body: { error: { code, message, innerError: innerError() } } };
}

function innerError(): Record<string, string> {
  const id = randomUUID();
  return { date: new Date().toISOString().slice(0, 19), 'request-id': id, 'client-request-id': id };
}
