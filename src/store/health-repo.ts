import { Migrator, type Kysely } from 'kysely';
import type { Database, JobRow, MeetingRow, MessageRow } from './database.js';
import { InCodeMigrations, type Dialect } from './migrations.js';

export interface MigrationState {
  applied: string[];
  pending: string[];
}

/** Read-only queries behind `rolplay doctor`: schema version, counts, recent trouble. */
export class HealthRepo {
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect) {}

  async migrations(): Promise<MigrationState> {
    const all = await new Migrator({ db: this.db, provider: new InCodeMigrations(this.dialect) }).getMigrations();
    return {
      applied: all.filter((m) => m.executedAt !== undefined).map((m) => m.name),
      pending: all.filter((m) => m.executedAt === undefined).map((m) => m.name),
    };
  }

  async tableCounts(): Promise<Record<'users' | 'meetings' | 'clients' | 'messages' | 'jobs', number>> {
    const count = async (table: 'users' | 'meetings' | 'clients' | 'messages' | 'jobs') => {
      const row = await this.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const [users, meetings, clients, messages, jobs] = await Promise.all([count('users'), count('meetings'), count('clients'), count('messages'), count('jobs')]);
    return { users, meetings, clients, messages, jobs };
  }

  /** Jobs that gave up for good since `since` (by their last update), newest first. */
  failedJobsSince(since: number, limit = 100): Promise<JobRow[]> {
    return this.db.selectFrom('jobs').selectAll()
      .where('status', '=', 'failed').where('updated_at', '>=', since)
      .orderBy('updated_at', 'desc').limit(limit).execute();
  }

  /** Pending jobs that should have run before `before` (nobody is running them). */
  overdueJobs(before: number, limit = 100): Promise<JobRow[]> {
    return this.db.selectFrom('jobs').selectAll()
      .where('status', '=', 'pending').where('run_at', '<', before)
      .orderBy('run_at').limit(limit).execute();
  }

  /** Jobs whose last error mentions `text` (e.g. Twilio's 63016) since `since`. */
  jobErrorsSince(text: string, since: number, limit = 100): Promise<JobRow[]> {
    return this.db.selectFrom('jobs').selectAll()
      .where('last_error', 'like', `%${text}%`).where('updated_at', '>=', since)
      .orderBy('updated_at', 'desc').limit(limit).execute();
  }

  /** Outgoing messages a status callback reported failed with this Twilio error code since `since`. */
  deliveryErrorsSince(errorCode: number, since: number, limit = 100): Promise<MessageRow[]> {
    return this.db.selectFrom('messages').selectAll()
      .where('direction', '=', 'out').where('error_code', '=', errorCode).where('delivery_updated_at', '>=', since)
      .orderBy('delivery_updated_at', 'desc').limit(limit).execute();
  }

  /** Invitations from organizers who are not registered salespeople, first seen since `since`. */
  unmatchedSince(since: number, limit = 100): Promise<MeetingRow[]> {
    return this.db.selectFrom('meetings').selectAll()
      .where('user_id', 'is', null).where('created_at', '>=', since)
      .orderBy('created_at', 'desc').limit(limit).execute();
  }
}
