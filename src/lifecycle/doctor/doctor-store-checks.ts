import type { Clock } from '../../support/clock.js';
import type { Store } from '../../store/open-store.js';
import type { DoctorCheck } from './doctor-checks.js';
import { PLAN_BLOCKED_MARK } from '../coaching/generate-plan.js';
import { PREPARE_PLAN } from '../jobs/job-kinds.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** A pending job this late means no daemon is running it (the runner wakes on the due time). */
const OVERDUE_MS = 5 * 60_000;

/** Store, queue and recent-trouble checks: local reads only, no cloud calls. */
export function storeChecks(store: Store, clock: Clock): DoctorCheck[] {
  return [
    {
      name: 'Store',
      async run() {
        const migrations = await store.health.migrations();
        const where = `${store.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${store.location}`;
        if (migrations.applied.length === 0) {
          return { status: 'fail', detail: `${where}: no schema yet; \`rolplay start\` (or any other command) creates it` };
        }
        const counts = await store.health.tableCounts();
        const summary = `${counts.users} users, ${counts.meetings} meetings, ${counts.messages} messages, ${counts.jobs} jobs`;
        const latest = migrations.applied[migrations.applied.length - 1];
        if (migrations.pending.length > 0) {
          return { status: 'fail', detail: `${where}: ${migrations.pending.length} migrations not applied (${migrations.pending.join(', ')}); \`rolplay start\` applies them` };
        }
        return { status: 'ok', detail: `${where}, ${migrations.applied.length} migrations (latest ${latest}); ${summary}` };
      },
    },
    {
      name: 'Jobs',
      async run() {
        const now = clock.now();
        const counts = await store.jobs.countByStatus();
        const overdue = await store.health.overdueJobs(now - OVERDUE_MS);
        const failed = await store.health.failedJobsSince(now - WEEK);
        const base = `${counts.pending ?? 0} pending, ${counts.running ?? 0} running, ${counts.failed ?? 0} failed in all`;
        const problems: string[] = [];
        if (overdue.length > 0) {
          const kinds = [...new Set(overdue.map((j) => j.kind))].join(', ');
          problems.push(`${overdue.length}${overdue.length === 100 ? '+' : ''} overdue (${kinds}; oldest due ${new Date(Number(overdue[0]!.run_at)).toISOString()}): is \`rolplay start\` running, with the service those jobs need configured?`);
        }
        if (failed.length > 0) {
          const last = failed[0]!;
          problems.push(`${failed.length}${failed.length === 100 ? '+' : ''} failed in the last 7 days; latest #${last.id} ${last.kind}${last.meeting_id ? ` (meeting ${last.meeting_id}: \`rolplay meetings show ${last.meeting_id}\`)` : ''}: ${(last.last_error ?? '').slice(0, 200)}`);
        }
        return problems.length > 0 ? { status: 'fail', detail: `${base}; ${problems.join('; ')}` } : { status: 'ok', detail: base };
      },
    },
    {
      name: 'Unmatched invitations',
      async run() {
        const rows = await store.health.unmatchedSince(clock.now() - WEEK);
        if (rows.length === 0) return { status: 'ok', detail: 'none in the last 7 days' };
        const who = [...new Set(rows.map((m) => m.organizer_email))];
        return {
          status: 'warn',
          detail: `${rows.length} in the last 7 days from organizers who are not registered (${who.slice(0, 5).join(', ')}${who.length > 5 ? ', …' : ''}): register them with \`rolplay user add --email ...\` if they should be coached`,
        };
      },
    },
    {
      name: 'WhatsApp 24-hour window (63016)',
      async run() {
        const since = clock.now() - WEEK;
        // Refused at once (the send job failed) or later (a status callback said failed).
        const atOnce = (await store.health.jobErrorsSince('63016', since)).length;
        const later = (await store.health.deliveryErrorsSince(63016, since)).length;
        const total = atOnce + later;
        if (total === 0) return { status: 'ok', detail: 'no messages refused for being outside the 24-hour window in the last 7 days' };
        const split = atOnce > 0 && later > 0 ? ` (${atOnce} at once, ${later} later in a status callback)` : later > 0 ? ' (reported later in a status callback)' : '';
        return {
          status: 'fail',
          detail: `${total} messages refused with Twilio error 63016 in the last 7 days${split} (free text outside WhatsApp's 24-hour window): set twilio.templates.plan and twilio.templates.reminder (and twilio.templates.digest with schedule.digest) to approved Content templates (HX...)`,
        };
      },
    },
    {
      name: 'Blocked plans',
      async run() {
        // The plan job fails for good with PLAN_BLOCKED_MARK in last_error (generate-plan.ts).
        const rows = (await store.health.jobErrorsSince(PLAN_BLOCKED_MARK, clock.now() - WEEK))
          .filter((j) => j.kind === PREPARE_PLAN.name && j.status === 'failed');
        if (rows.length === 0) return { status: 'ok', detail: 'no plan blocked by Gemini in the last 7 days' };
        const meetings = [...new Set(rows.map((j) => j.meeting_id).filter((id) => id !== null))];
        return {
          status: 'warn',
          detail: `${rows.length} plan${rows.length === 1 ? '' : 's'} blocked by Gemini's safety filters in the last 7 days, twice each, so none was sent (meetings ${meetings.slice(0, 5).join(', ')}${meetings.length > 5 ? ', …' : ''}): see \`rolplay meetings show N\`, then \`rolplay meetings replay N\``,
        };
      },
    },
  ];
}
