import type { Store } from '../store/open-store.js';
import type { MeetingStatus, UserRow } from '../store/database.js';
import type { BenchFigure } from './bench-result.js';
import { timeCommandsOnStore } from './time-process.js';

const SECTION = 'CLI (rolplay report, 100,000 meetings)';
const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface ReportBenchOptions {
  meetings?: number;
  /** Runs of each command; the median counts. */
  runs?: number;
}

/**
 * `rolplay report` (the table and --json, default period: the last 7 days) on a store of
 * 100,000 meetings over two years with plans, role-plays and outcomes: whole-process time as a
 * ratio to `node -e 0` measured in the same run (goal <= 2x, issue 15). `report --help` beside
 * them is the CLI's start-up alone, which tells it from the report's own work.
 */
export async function runReportBench(options: ReportBenchOptions = {}): Promise<BenchFigure[]> {
  const count = options.meetings ?? 100_000;
  return timeCommandsOnStore({
    section: SECTION, prefix: 'rolplay-bench-report-', runs: options.runs ?? 7, seed: (store) => seed(store, count),
    commands: [
      { args: ['report'], label: '`report` table', goal: '<= 2' },
      { args: ['report', '--json'], label: '`report --json`', goal: '<= 2' },
      { args: ['report', '--help'], label: '`report --help`, start-up alone' },
    ],
  });
}

/**
 * 20 salespeople; `count` meetings over the two years before now (about 137 a day), a few
 * cancelled; two thirds got their plan, past ones mostly have an outcome in HubSpot, and a
 * quarter were practised with a scored role-play.
 */
export async function seed(store: Store, count: number): Promise<void> {
  const now = Date.now();
  const users: UserRow[] = [];
  for (let u = 0; u < 20; u++) {
    users.push((await store.users.upsert({ email: `rep${u}@company.com`, name: `Rep ${u}`, phone: `+1415555${String(2600 + u)}`, timezone: 'UTC' }, now)).user);
  }
  const span = 730 * DAY;
  await store.db.transaction().execute(async (tx) => {
    for (let m = 0; m < count; m += 500) {
      const rows = Array.from({ length: Math.min(500, count - m) }, (_, i) => {
        const n = m + i;
        const start = now - span + Math.floor((n / count) * span) + DAY;
        const past = start + 2 * HOUR < now;
        const status: MeetingStatus = n % 23 === 0 ? 'cancelled' : !past ? 'plan_sent' : n % 7 === 0 ? 'reminder_sent' : 'completed';
        const user = users[n % users.length]!;
        return {
          event_id: `bench-${n}`, source: 'graph' as const, title: `Meeting ${n}`, start_at: start, end_at: start + HOUR,
          organizer_email: user.email, user_id: user.id, status, created_at: now, updated_at: now,
          completed_at: status === 'completed' ? start + HOUR + (n % 48) * HOUR : null,
          hubspot_note_id: status === 'completed' && n % 11 !== 0 ? String(90_000 + n) : null,
        };
      });
      const ids = (await tx.insertInto('meetings').values(rows).returning(['id', 'user_id', 'start_at']).execute());
      const planned = ids.filter((_, i) => (m + i) % 3 !== 0);
      if (planned.length > 0) {
        await tx.insertInto('messages').values(planned.map((r) => ({
          direction: 'out' as const, user_id: r.user_id, meeting_id: r.id, phone: '+14155550000', body: 'Your plan', twilio_sid: `SMplan${r.id}`, kind: 'plan', created_at: Number(r.start_at) - DAY,
        }))).execute();
      }
      const practised = ids.filter((_, i) => (m + i) % 4 === 1 && Number(ids[i]!.start_at) - HOUR < now);
      if (practised.length > 0) {
        await tx.insertInto('roleplays').values(practised.map((r, i) => ({
          meeting_id: r.id, user_id: r.user_id, difficulty: 'normal', focus: null, started_at: Number(r.start_at) - 2 * HOUR, scored_at: Number(r.start_at) - HOUR,
          score: 3 + (i % 7), discovery: 2 + (i % 8), objection_handling: 4 + (i % 6), next_step: 1 + (i % 9), summary: 'ok', tips_json: '[]', transcript_json: '[]',
        }))).execute();
      }
    }
  });
}
