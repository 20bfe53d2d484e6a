import type { Store } from '../store/open-store.js';
import { MEETING_STATUSES, type UserRow } from '../store/database.js';
import type { BenchFigure } from './bench-result.js';
import { cliFloors } from './cli-floors.js';
import { timeCommandsOnStore } from './time-process.js';

const SECTION = 'CLI (meetings list, 10,000 meetings)';

export interface CliBenchOptions {
  meetings?: number;
  /** Runs of each command; the median counts. */
  runs?: number;
}

/**
 * `rolplay meetings list --json`, the plain table, `rolplay --help` and `rolplay user list` on a
 * store of 10,000 meetings: whole-process time as a ratio to `node -e 0` measured in the same
 * run, so a slower machine does not move the figure (issue 13's goals: <= 2x, <= 2.5x, <= 1.5x,
 * <= 1.5x). `--help` is start-up alone (loading the CLI); `user list` adds the config and the
 * store, and the two lists add the query and the formatting of 10,000 meetings. The floors
 * (cli-floors.ts) time the same work in bare scripts, to tell rolplay's own cost from the query's.
 */
export async function runCliBench(options: CliBenchOptions = {}): Promise<BenchFigure[]> {
  const count = options.meetings ?? 10_000;
  return timeCommandsOnStore({
    section: SECTION, prefix: 'rolplay-bench-cli-', runs: options.runs ?? 7, seed: (store) => seed(store, count),
    commands: [
      { args: ['meetings', 'list', '--json'], label: '`meetings list --json`', goal: '<= 2' },
      { args: ['meetings', 'list', '--no-tui'], label: '`meetings list` plain table', goal: '<= 2.5' },
      { args: ['--help'], label: '`rolplay --help`', goal: '<= 1.5' },
      { args: ['user', 'list'], label: '`user list`', goal: '<= 1.5' },
      ...cliFloors(),
    ],
  });
}

/** 10 salespeople, 500 clients, `count` meetings over a year with one or two clients each, a quarter in recurring series. */
async function seed(store: Store, count: number): Promise<void> {
  const now = Date.now();
  const users: UserRow[] = [];
  for (let u = 0; u < 10; u++) {
    users.push((await store.users.upsert({ email: `rep${u}@company.com`, name: `Rep ${u}`, phone: `+1415555${String(2600 + u)}`, timezone: 'UTC' }, now)).user);
  }
  await store.db.transaction().execute(async (tx) => {
    for (let c = 0; c < 500; c += 250) {
      await tx.insertInto('clients').values(Array.from({ length: 250 }, (_, i) => ({
        email: `client${c + i}@customer${(c + i) % 97}.com`, name: `Client ${c + i}`, company: `Customer ${(c + i) % 97}`,
        phone: null, hubspot_contact_id: String(1000 + c + i), hubspot_company_id: null, created_at: now, updated_at: now,
      }))).execute();
    }
    const clientIds = (await tx.selectFrom('clients').select('id').execute()).map((r) => r.id);
    for (let m = 0; m < count; m += 500) {
      const batch = Array.from({ length: Math.min(500, count - m) }, (_, i) => {
        const n = m + i;
        const start = now - 180 * 86_400_000 + n * 3_000_000;
        return {
          event_id: `bench-${n}`, source: 'graph' as const, title: `Meeting ${n} about renewal and pricing`, start_at: start, end_at: start + 1_800_000,
          organizer_email: n % 50 === 0 ? 'stranger@elsewhere.com' : users[n % 10]!.email, user_id: n % 50 === 0 ? null : users[n % 10]!.id,
          status: MEETING_STATUSES[n % MEETING_STATUSES.length]!, plan_json: n % 3 === 0 ? null : JSON.stringify({ summary: `Plan ${n}` }),
          hubspot_note_id: n % 5 === 3 ? String(90000 + n) : null, created_at: now, updated_at: now,
          // A third were practised: the list's SCORE column shows the latest score.
          roleplay_score: n % 3 === 2 ? 1 + (n % 10) : null,
          // A quarter are occurrences of 97 recurring series (Graph-length master ids), which the list marks "↻ i/n".
          ...(n % 4 === 1 ? { series_master_id: `AAMkAGI2TG93AAAAAAEGAAAAAAAGkZrB3bench${String(n % 97).padStart(3, '0')}`.padEnd(152, 'A'), occurrence_kind: 'occurrence' as const } : {}),
        };
      });
      const ids = (await tx.insertInto('meetings').values(batch).returning('id').execute()).map((r) => r.id);
      const links = ids.flatMap((id, i) => (i % 3 === 0
        ? [{ meeting_id: id, client_id: clientIds[i % clientIds.length]! }, { meeting_id: id, client_id: clientIds[(i + 7) % clientIds.length]! }]
        : [{ meeting_id: id, client_id: clientIds[i % clientIds.length]! }]));
      await tx.insertInto('meeting_clients').values(links).execute();
    }
  });
}
