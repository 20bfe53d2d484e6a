/** One row of the jobs table's grouped count. */
export interface JobCount {
  kind: string;
  status: string;
  n: number;
}

/**
 * The job counts behind rolplay_jobs, read at most once per `ttlMs` however often (and however
 * many at once) /metrics is scraped: scrapers share the count in flight and reuse the last one
 * while it is fresh. A failed count is kept as long, so a broken store is not asked again on
 * every scrape either.
 */
export function cachedJobCounts(read: () => Promise<JobCount[]>, ttlMs: number, now: () => number = () => performance.now()): () => Promise<JobCount[]> {
  let last: { at: number; counts: Promise<JobCount[]> } | undefined;
  return () => {
    const t = now();
    if (!last || t - last.at >= ttlMs) {
      const counts = read();
      // Nobody may be waiting when it fails (the cache keeps it): never an unhandled rejection.
      counts.catch(() => undefined);
      last = { at: t, counts };
    }
    return last.counts;
  };
}
