import type { CalendarChange, CalendarEvent } from '../../domain/calendar-event.js';

/**
 * The bot mailbox's calendar as the ingest use case sees it: delta pages of domain changes and
 * the two single-event calls. Implemented over Microsoft Graph (graph-calendar.ts); tests may
 * pass a fake.
 */
export interface DeltaPage {
  changes: CalendarChange[];
  /** More pages of this round follow: pass it to followLink. */
  nextLink?: string;
  /** The round is complete: keep it and follow it next poll for the changes since. */
  deltaLink?: string;
}

export interface CalendarSource {
  /** First page of a full sync of the events overlapping [start, end). */
  startSync(window: { start: number; end: number }): Promise<DeltaPage>;
  /**
   * Follows a nextLink or deltaLink. A link Graph no longer knows (410 Gone, SyncStateNotFound,
   * resyncRequired) throws a ProviderError with code GRAPH_SYNC_RESET: start a full sync.
   */
  followLink(link: string): Promise<DeltaPage>;
  /** The event as it is now, or undefined when it no longer exists (404). */
  getEvent(eventId: string): Promise<CalendarEvent | undefined>;
  /** Accepts the invitation in the bot's name and tells the organizer. */
  acceptEvent(eventId: string): Promise<void>;
  /** HTTP requests sent to Graph so far (retries included), for logs and the bench. */
  requestCount(): number;
}

/** ProviderError.code of a delta link Graph has forgotten. */
export const SYNC_RESET = 'GRAPH_SYNC_RESET';
