import { describe, expect, it } from 'vitest';
import { CalendarPoller } from '../../src/daemon/calendar-poller.js';
import type { LeaderLease } from '../../src/daemon/leader-lease.js';
import type { CalendarPollSummary } from '../../src/lifecycle/calendar/ingest-calendar.js';
import type { Lease } from '../../src/store/leases-repo.js';
import { FakeClock } from '../../src/support/clock.js';
import { ProviderError } from '../../src/support/errors.js';
import { silentLogger } from '../../src/support/logger.js';
import type { Metrics } from '../../src/support/metrics.js';

const ok: CalendarPollSummary = {
  mode: 'delta', resynced: false, requests: 1, saved: false,
  counts: { new: 0, unmatched: 0, changed: 0, unchanged: 0, restored: 0, cancelled: 0, skipped: 0 },
};

function poller(polls: Array<() => Promise<CalendarPollSummary>>, lease?: Pick<LeaderLease, 'ensure' | 'release'>) {
  const events: Array<[string, unknown]> = [];
  const metrics: Pick<Metrics, 'calendarPolled' | 'pollLeadership'> = {
    calendarPolled: (e) => events.push(['poll', e.result]),
    pollLeadership: (e) => events.push(['lead', e]),
  };
  let n = 0;
  const p = new CalendarPoller({
    ingest: { poll: () => polls[Math.min(n++, polls.length - 1)]!() },
    pollSeconds: 30, clock: new FakeClock(), logger: silentLogger(), metrics,
    lease: lease as LeaderLease | undefined,
    schedule: () => ({ stop: () => undefined }),
  });
  return { p, events };
}

describe('CalendarPoller metrics', () => {
  it('reports each poll\'s result; without a lease (SQLite) the daemon leads from the start until it stops', async () => {
    const { p, events } = poller([async () => ok, async () => { throw new ProviderError('Graph 503', { provider: 'graph', retryable: true }); }]);
    await p.start();
    await p.pollNow({ force: true });
    await p.pollNow({ force: true });
    await p.stop();
    expect(events).toEqual([['lead', { leader: true }], ['poll', 'ok'], ['poll', 'error'], ['lead', { leader: false }]]);
  });

  it('with a lease, reports leadership and its epoch at every poll, and no poll when another daemon leads', async () => {
    const held: Array<Lease | undefined> = [{ name: 'calendar-poll', holder: 'me', epoch: 3, expiresAt: 0 }, undefined];
    const lease = { ensure: async () => held.shift(), release: async () => undefined };
    const { p, events } = poller([async () => ok], lease);
    await p.start();
    await p.pollNow({ force: true });
    await p.pollNow({ force: true });
    expect(events).toEqual([['lead', { leader: true, epoch: 3 }], ['poll', 'ok'], ['lead', { leader: false, epoch: undefined }]]);
  });
});
