import type { CalendarChange, CalendarEvent } from '../../domain/calendar-event.js';
import type { TriageContext } from '../../domain/event-triage.js';
import { ProviderError } from '../../support/errors.js';
import type { Lease } from '../../store/leases-repo.js';
import { SYNC_RESET, type CalendarSource, type DeltaPage } from '../../clients/graph/calendar-source.js';
import { loadSyncPoint, saveSyncPoint, type SyncPoint } from './calendar-sync-state.js';
import { fillFromMaster } from '../../domain/recurring-series.js';
import { applyMaster, cancelSeries, lookUpMasters, type SeriesLookup } from './calendar-series.js';
import { cancelMeeting } from './cancel-meeting.js';
import { upsertCalendarMeeting, type EventOutcome } from './upsert-calendar-meeting.js';
import { inTransaction as inStoreTransaction } from '../jobs/in-transaction.js';
import type { Services } from '../services.js';

export interface CalendarPollSummary {
  /** full: a new window was read from scratch; delta: only the changes since the last poll. */
  mode: 'full' | 'delta';
  /** Graph had forgotten the stored delta link (410), so this poll re-read the window. */
  resynced: boolean;
  /** HTTP requests sent to Graph (a quiet poll: 1). */
  requests: number;
  counts: Record<EventOutcome, number>;
  /** The sync point was written to the store. */
  saved: boolean;
}

export interface CalendarIngestOptions {
  /** The poll lease when several daemons share the store: sync-state writes are fenced on it. */
  lease?: () => Lease | undefined;
  /** A quiet poll keeps a new delta link in memory and writes it at most this often. */
  checkpointMs?: number;
}

export interface CalendarIngest {
  poll(): Promise<CalendarPollSummary>;
}

type IngestServices = Services & { calendar: CalendarSource };

const HOUR = 3_600_000;

/**
 * Calendar ingestion with Graph delta queries. The first poll (and one every
 * microsoft.resyncHours, and after Graph forgets the link) reads the whole window
 * [now, now + lookaheadDays) and keeps the delta link; later polls follow it and get only what
 * changed. Applying an event is idempotent (upsert by event id, jobs by dedupe key), so a
 * change delivered twice or a full resync creates nothing twice. A quiet poll is one request
 * and writes nothing: a delta link Graph renews without changes waits in memory (checkpointed
 * every few minutes), since the previous one stays valid meanwhile. Each page is applied in one
 * transaction: all of it or none (the link is not advanced, so the next poll tries again), and
 * one commit per page instead of one per row.
 */
export function createCalendarIngest(services: IngestServices, options: CalendarIngestOptions = {}): CalendarIngest {
  const { calendar, config, clock, store, logger } = services;
  const checkpointMs = options.checkpointMs ?? 10 * 60_000;
  const mailbox = config.bot.email.toLowerCase();
  let memory: { point: SyncPoint; savedLink: string; savedAt: number } | undefined;
  /** Graph's answers for the "@removed" events of the page being applied, read before its transaction. */
  let lookedUp = new Map<string, CalendarEvent | undefined>();
  /** A series master could not be read this poll: its round's delta link is not kept (see calendar-series.ts). */
  let held = false;

  async function poll(): Promise<CalendarPollSummary> {
    const requestsBefore = calendar.requestCount();
    const counts: Record<EventOutcome, number> = { new: 0, unmatched: 0, changed: 0, unchanged: 0, restored: 0, cancelled: 0, skipped: 0 };
    const stored = await loadSyncPoint(store);
    // The newer link kept in memory is used only while the store still holds the one it followed.
    const point = memory && stored && memory.savedLink === stored.deltaLink ? memory.point : stored;
    const now = clock.now();
    held = false;
    const due = !point || point.mailbox !== mailbox || now - point.basedAt >= config.microsoft.resyncHours * HOUR;
    let resynced = false;
    let saved: boolean;
    if (!due) {
      try {
        saved = await deltaRound(point, stored, counts);
        return { mode: 'delta', resynced, requests: calendar.requestCount() - requestsBefore, counts, saved };
      } catch (error) {
        if (!(error instanceof ProviderError && error.code === SYNC_RESET)) throw error;
        logger.warn({ err: error.message }, 'Graph forgot the delta link: re-reading the calendar window');
        resynced = true;
      }
    }
    saved = await fullSync(counts);
    return { mode: 'full', resynced, requests: calendar.requestCount() - requestsBefore, counts, saved };
  }

  async function deltaRound(point: SyncPoint, stored: SyncPoint | undefined, counts: Record<EventOutcome, number>): Promise<boolean> {
    let changes = 0;
    const deltaLink = await readAll(await calendar.followLink(point.deltaLink), counts, async (change, deps, series) => {
      changes++;
      await apply(deps, change, counts, series);
    });
    const next: SyncPoint = { ...point, deltaLink };
    if (held) return false;
    if (deltaLink === stored?.deltaLink) {
      memory = { point: next, savedLink: deltaLink, savedAt: memory?.savedLink === deltaLink ? memory.savedAt : clock.now() };
      return false;
    }
    // The stored link was just followed successfully, so it counts as fresh when nothing newer was saved.
    const savedAt = memory && memory.savedLink === stored?.deltaLink ? memory.savedAt : clock.now();
    if (changes === 0 && clock.now() - savedAt < checkpointMs) {
      memory = { point: next, savedLink: stored?.deltaLink ?? '', savedAt };
      return false;
    }
    return save(next);
  }

  async function fullSync(counts: Record<EventOutcome, number>): Promise<boolean> {
    const now = clock.now();
    const window = { start: Math.floor(now / 60_000) * 60_000, end: now + config.microsoft.lookaheadDays * 24 * HOUR };
    const seen = new Set<string>();
    const deltaLink = await readAll(await calendar.startSync(window), counts, async (change, deps, series) => {
      // An unreadable event is still there: it must not look deleted.
      const id = change.kind === 'upsert' ? change.event.id : change.kind === 'invalid' ? change.id : null;
      if (id) seen.add(id);
      await apply(deps, change, counts, series);
    });
    // Deleted while the link was lost: Graph's full listing no longer has them.
    const vanished = (await store.meetings.openGraphMeetingsStarting(window.start, window.end)).filter((m) => !seen.has(m.event_id));
    if (vanished.length > 0) {
      const removals: CalendarChange[] = vanished.map((m) => ({ kind: 'removed', id: m.event_id, reason: 'not listed by a full sync' }));
      await lookUpRemoved(removals);
      await inTransaction(async (deps) => {
        for (const change of removals) await apply(deps, change, counts);
      });
    }
    logger.info({ from: new Date(window.start).toISOString(), to: new Date(window.end).toISOString(), events: seen.size }, 'calendar window read in full');
    if (held) return false;
    return save({ mailbox, window, basedAt: now, deltaLink });
  }

  /** Applies every change of a round, page by page, and returns the round's delta link. */
  async function readAll(first: DeltaPage, counts: Record<EventOutcome, number>, each: (change: CalendarChange, deps: IngestServices, series: SeriesLookup) => Promise<void>): Promise<string> {
    let page = first;
    for (;;) {
      const { changes } = page;
      if (changes.length > 0) {
        await lookUpRemoved(changes);
        const series = await lookUpMasters(services, calendar, changes);
        if (series.unresolved.size > 0) held = true;
        await inTransaction(async (deps) => {
          for (const id of series.fetched) await applyMaster(deps, series.masters.get(id)!, triageNow(), counts);
          // Masters first: a master edit then reaches the stored occurrences the page does not list,
          // and the page's own occurrences are written once, already filled in from it.
          for (const change of [...changes.filter(isMaster), ...changes.filter((c) => !isMaster(c))]) await each(change, deps, series);
        });
      }
      if (page.deltaLink) return page.deltaLink;
      if (!page.nextLink) throw new ProviderError('Microsoft Graph sent a calendar page with neither @odata.nextLink nor @odata.deltaLink; will retry', { provider: 'graph', retryable: true });
      page = await calendar.followLink(page.nextLink);
    }
  }

  /**
   * "@removed" also means "changed and now outside the window", so each removal of a meeting we
   * track is looked up on Graph first: here, before the page's transaction, so no network call
   * ever runs while the store's write lock is held (webhooks would wait behind it).
   */
  async function lookUpRemoved(changes: CalendarChange[]): Promise<void> {
    lookedUp = new Map();
    for (const change of changes) {
      if (change.kind !== 'removed' || lookedUp.has(change.id)) continue;
      const meeting = await store.meetings.byEventId(change.id);
      const tracked = meeting ? meeting.status !== 'cancelled' : (await store.series.get(change.id)) !== undefined;
      if (tracked) lookedUp.set(change.id, await calendar.getEvent(change.id));
    }
  }

  function inTransaction(fn: (deps: IngestServices) => Promise<void>): Promise<void> {
    return inStoreTransaction(services, fn);
  }

  function triageNow(): TriageContext {
    return { botEmail: mailbox, internalDomains: config.microsoft.internalDomains, now: clock.now() };
  }

  async function apply(deps: IngestServices, change: CalendarChange, counts: Record<EventOutcome, number>, series?: SeriesLookup): Promise<void> {
    const triage = triageNow();
    if (change.kind === 'invalid') {
      logger.warn({ event: change.id, reason: change.reason }, 'calendar event skipped');
      counts.skipped++;
      return;
    }
    if (change.kind === 'upsert') {
      const { event } = change;
      if (event.type === 'seriesMaster') return applyMaster(deps, event, triage, counts);
      const master = event.sparse ? series?.masters.get(event.seriesMasterId ?? '') : undefined;
      if (event.sparse && !master) {
        // Logged once per series by lookUpMasters; stored once its master can be read.
        counts.skipped++;
        return;
      }
      counts[await upsertCalendarMeeting(deps, master ? fillFromMaster(event, master) : event, triage)]++;
      return;
    }
    const meeting = await deps.store.meetings.byEventId(change.id);
    if (!meeting && (await deps.store.series.get(change.id))) {
      // A series master removed: deleted, or changed and now outside the window (look first).
      const master = lookedUp.has(change.id) ? lookedUp.get(change.id) : await calendar.getEvent(change.id);
      if (master?.type === 'seriesMaster' && !master.isCancelled) return applyMaster(deps, master, triage, counts);
      return cancelSeries(deps, change.id, counts);
    }
    if (!meeting || meeting.status === 'cancelled') {
      counts.unchanged++;
      return;
    }
    // "@removed" also means "changed and now outside the window": look before cancelling.
    const event = lookedUp.has(change.id) ? lookedUp.get(change.id) : await calendar.getEvent(change.id);
    if (event && !event.isCancelled) {
      counts[await upsertCalendarMeeting(deps, event, triage)]++;
      return;
    }
    counts[(await cancelMeeting(deps, meeting, event ? 'cancelled by the organizer' : 'deleted from the calendar')) ? 'cancelled' : 'unchanged']++;
  }

  async function save(point: SyncPoint): Promise<boolean> {
    const now = clock.now();
    const lease = options.lease?.();
    if (options.lease && !lease) return false;
    const ok = await saveSyncPoint(store, point, now, lease);
    if (!ok) {
      logger.warn('this daemon lost the calendar lead during the poll; its delta link was not saved');
      memory = undefined;
      return false;
    }
    memory = { point, savedLink: point.deltaLink, savedAt: now };
    return true;
  }

  return { poll };
}

function isMaster(change: CalendarChange): boolean {
  return change.kind === 'upsert' && change.event.type === 'seriesMaster';
}
