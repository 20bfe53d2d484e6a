import { createCalendarIngest } from '../lifecycle/calendar/ingest-calendar.js';
import type { App } from './build-app.js';
import { CalendarPoller, type PollSchedule } from './calendar-poller.js';
import { LeaderLease } from './leader-lease.js';

/**
 * The calendar poller wired from config, or undefined (with a warning) when Microsoft is not
 * configured. On PostgreSQL several daemons may share the store, so only the holder of the
 * "calendar-poll" lease polls and its delta-link writes are fenced; SQLite is one machine's
 * file, where the lease would only add a write to every quiet poll.
 */
export function createCalendarComponent(app: App, options: { schedule?: PollSchedule } = {}): CalendarPoller | undefined {
  const { services } = app;
  const { config, store, clock } = services;
  const logger = services.logger.child({ component: 'calendar' });
  const calendar = services.calendar;
  if (!calendar) {
    logger.warn('the calendar is not polled: set microsoft.tenantId, microsoft.clientId and microsoft.clientSecret (or MICROSOFT_TENANT_ID, MICROSOFT_CLIENT_ID, MICROSOFT_CLIENT_SECRET)');
    return undefined;
  }
  const lease = store.dialect === 'postgres'
    ? new LeaderLease({
        store,
        name: 'calendar-poll',
        holder: app.runner.owner,
        // A lease shorter than the poll interval would change hands between polls.
        ttlMs: Math.max(config.microsoft.pollLeaseSeconds, config.microsoft.pollSeconds * 2) * 1000,
        logger,
      })
    : undefined;
  const ingest = createCalendarIngest({ ...services, calendar, logger }, { lease: lease ? () => lease.current : undefined });
  return new CalendarPoller({ ingest, pollSeconds: config.microsoft.pollSeconds, clock, logger, lease, schedule: options.schedule, metrics: services.metrics });
}
