import type { MeetingStatus } from './database.js';

/*
 * What a meetings list asks for, without the query builder: the CLI's direct SQLite reads
 * (sqlite-meeting-list.ts) use these too, and must not load Kysely by importing meetings-repo.ts.
 */

/** The most meetings one list returns unless its filter says fewer. */
export const LIST_LIMIT = 10_000;

export interface MeetingFilter {
  status?: MeetingStatus[];
  userEmail?: string;
  from?: number;
  to?: number;
  unmatched?: boolean;
  limit?: number;
}

/**
 * True when `filter` picks every meeting (at most a limit): the list's series marks then count
 * every series, without reading the list a second time.
 */
export function listsEverything(filter: MeetingFilter): boolean {
  return Object.entries(filter).every(([key, value]) => key === 'limit' || value === undefined);
}
