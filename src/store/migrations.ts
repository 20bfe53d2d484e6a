import { sql, type Kysely, type Migration, type MigrationProvider, type CreateTableBuilder } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Versioned migrations, in order. Append new ones; never edit one that has shipped. Each is
 * written once for both backends: only the id column and 64-bit integers differ.
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
  const withId = <T extends string>(table: CreateTableBuilder<T, never>) =>
    dialect === 'sqlite'
      ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : table.addColumn('id', 'serial', (c) => c.primaryKey());
  const millis = dialect === 'sqlite' ? 'integer' : 'bigint';

  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await withId(db.schema.createTable('users'))
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('phone', 'text', (c) => c.notNull().unique())
          .addColumn('timezone', 'text', (c) => c.notNull())
          .addColumn('created_at', millis, (c) => c.notNull())
          .addColumn('updated_at', millis, (c) => c.notNull())
          .execute();

        await withId(db.schema.createTable('clients'))
          .addColumn('email', 'text', (c) => c.unique())
          .addColumn('name', 'text')
          .addColumn('company', 'text')
          .addColumn('phone', 'text')
          .addColumn('hubspot_contact_id', 'text')
          .addColumn('hubspot_company_id', 'text')
          .addColumn('created_at', millis, (c) => c.notNull())
          .addColumn('updated_at', millis, (c) => c.notNull())
          .execute();

        await withId(db.schema.createTable('meetings'))
          .addColumn('event_id', 'text', (c) => c.notNull().unique())
          .addColumn('ical_uid', 'text')
          .addColumn('change_key', 'text')
          .addColumn('source', 'text', (c) => c.notNull().defaultTo('graph'))
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('body_preview', 'text')
          .addColumn('location', 'text')
          .addColumn('join_url', 'text')
          .addColumn('start_at', millis, (c) => c.notNull())
          .addColumn('end_at', millis, (c) => c.notNull())
          .addColumn('organizer_email', 'text', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled'))
          .addColumn('plan_json', 'text')
          .addColumn('outcome_json', 'text')
          .addColumn('last_reply', 'text')
          .addColumn('hubspot_note_id', 'text')
          .addColumn('roleplay_score', 'integer')
          .addColumn('created_at', millis, (c) => c.notNull())
          .addColumn('updated_at', millis, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('meetings_user_start').on('meetings').columns(['user_id', 'start_at']).execute();
        await db.schema.createIndex('meetings_start').on('meetings').column('start_at').execute();

        await db.schema.createTable('meeting_clients')
          .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
          .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addPrimaryKeyConstraint('meeting_clients_pk', ['meeting_id', 'client_id'])
          .execute();

        await withId(db.schema.createTable('messages'))
          .addColumn('direction', 'text', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
          .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
          .addColumn('phone', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('twilio_sid', 'text', (c) => c.unique())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('created_at', millis, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('messages_user_created').on('messages').columns(['user_id', 'created_at']).execute();
        await db.schema.createIndex('messages_meeting').on('messages').column('meeting_id').execute();

        await withId(db.schema.createTable('jobs'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('run_at', millis, (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (c) => c.notNull())
          .addColumn('last_error', 'text')
          .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
          .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
          .addColumn('lease_owner', 'text')
          .addColumn('lease_until', millis)
          .addColumn('result', 'text')
          .addColumn('created_at', millis, (c) => c.notNull())
          .addColumn('updated_at', millis, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
        await db.schema.createIndex('jobs_meeting').on('jobs').column('meeting_id').execute();

        await db.schema.createTable('sync_state')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('updated_at', millis, (c) => c.notNull())
          .execute();
      },
    },
    '0002_calendar_ingest': {
      async up(db: Kysely<unknown>) {
        // A cancelled meeting remembers the state it left, so an event that comes back (moved back
        // into view, un-deleted) is restored where it was instead of starting over.
        await db.schema.alterTable('meetings').addColumn('cancelled_from', 'text').execute();
        await db.schema.alterTable('meetings').addColumn('cancelled_at', millis).execute();
      },
    },
    '0003_conversations': {
      async up(db: Kysely<unknown>) {
        // Per salesperson: the meeting chosen with "switch N" and whether a role-play is running,
        // so a restart (or another daemon) continues the same conversation.
        await db.schema.createTable('conversations')
          .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
          .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
          .addColumn('mode', 'text', (c) => c.notNull().defaultTo('coach'))
          .addColumn('roleplay_meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
          .addColumn('difficulty', 'text')
          .addColumn('roleplay_started_at', millis)
          .addColumn('updated_at', millis, (c) => c.notNull())
          .execute();
        // Full texts held back after a business-initiated template, delivered once the user replies
        // (WhatsApp only allows free text inside the 24-hour window the reply opens).
        await withId(db.schema.createTable('deferred_messages'))
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('cascade'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', millis, (c) => c.notNull())
          .addColumn('delivered_at', millis)
          .execute();
        await db.schema.createIndex('deferred_messages_user').on('deferred_messages').columns(['user_id', 'delivered_at']).execute();
      },
    },
    '0004_follow_up': {
      async up(db: Kysely<unknown>) {
        // When the reminder went out (which open meeting a reply answers) and when the outcome was
        // logged (a late "Done" for a finished meeting is recognised, not logged twice).
        await db.schema.alterTable('meetings').addColumn('reminded_at', millis).execute();
        await db.schema.alterTable('meetings').addColumn('completed_at', millis).execute();
        await db.schema.createIndex('meetings_user_status').on('meetings').columns(['user_id', 'status']).execute();
      },
    },
    '0006_leases': {
      async up(db: Kysely<unknown>) {
        // Leader election for work only one daemon may do at a time (the calendar poll).
        await db.schema.createTable('leases')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('holder', 'text', (c) => c.notNull())
          .addColumn('epoch', 'integer', (c) => c.notNull())
          .addColumn('expires_at', millis, (c) => c.notNull())
          .execute();
      },
    },
    '0007_message_delivery': {
      async up(db: Kysely<unknown>) {
        // What Twilio's status callbacks said about each outgoing message (a free text refused
        // later with 63016 is found here), and the send job that sent it (whose payload holds
        // the full text and template variables to fall back on). No foreign key: jobs may be
        // pruned, the message stays.
        await db.schema.alterTable('messages').addColumn('job_id', 'integer').execute();
        await db.schema.alterTable('messages').addColumn('delivery_status', 'text').execute();
        await db.schema.alterTable('messages').addColumn('error_code', 'integer').execute();
        await db.schema.alterTable('messages').addColumn('delivery_updated_at', millis).execute();
      },
    },
    '0008_recurring_series': {
      async up(db: Kysely<unknown>) {
        // Graph's delta lists an occurrence of a series with only its id, times and series master
        // id: the series' own fields (title, organizer, attendees, body) are kept here, one row
        // per master, so each occurrence is filled in without reading the master again.
        await db.schema.createTable('calendar_series')
          .addColumn('master_id', 'text', (c) => c.primaryKey())
          .addColumn('change_key', 'text')
          .addColumn('event_json', 'text', (c) => c.notNull())
          .addColumn('updated_at', millis, (c) => c.notNull())
          .execute();
        // Which series a meeting belongs to, and whether it is an exception (an occurrence edited
        // on its own, which keeps its own fields when the master changes).
        await db.schema.alterTable('meetings').addColumn('series_master_id', 'text').execute();
        await db.schema.alterTable('meetings').addColumn('occurrence_kind', 'text').execute();
        await db.schema.createIndex('meetings_series').on('meetings').columns(['series_master_id', 'start_at']).execute();
      },
    },
    '0009_job_lanes': {
      async up(db: Kysely<unknown>) {
        // Lanes are concurrency pools (a Gemini backlog does not hold up Twilio sends), priority 0
        // jumps the lane's queue (a reminder due now), and a queue key runs one job at a time.
        // Jobs already queued land in lane 'default' until the runner's assignLanes moves them.
        await db.schema.alterTable('jobs').addColumn('lane', 'text', (c) => c.notNull().defaultTo('default')).execute();
        await db.schema.alterTable('jobs').addColumn('priority', 'integer', (c) => c.notNull().defaultTo(1)).execute();
        await db.schema.alterTable('jobs').addColumn('queue_key', 'text').execute();
        // Its rows are only ever locked (upserted) to serialise the enqueues and promotions of one
        // key across daemons; SQLite has a single writer anyway.
        await db.schema.createTable('job_queues').addColumn('queue_key', 'text', (c) => c.primaryKey()).execute();
        // Partial indexes, written with literal statuses (the queries repeat them literally: a
        // partial index is only used when the query's WHERE contains its predicate), each one
        // yielding a claim class already in claim order, so a claim reads `limit` rows whatever
        // the backlog. jobs_due stays: list(), the doctor's overdue check and nextWakeAt() without
        // lanes read pending jobs across lanes by run_at.
        await sql`create index jobs_claim on jobs (lane, priority, run_at, id) where status = 'pending'`.execute(db);
        await sql`create index jobs_lease on jobs (lane, lease_until) where status = 'running'`.execute(db);
        await sql`create index jobs_queue on jobs (queue_key, run_at, id) where queue_key is not null and status in ('waiting', 'pending', 'running')`.execute(db);
      },
    },
    '0010_roleplays': {
      async up(db: Kysely<unknown>) {
        // One row per scored practice (meetings.roleplay_score keeps only the latest score): the
        // rubric parts, the persona it leaned on and the transcript scored, for `rolplay report`,
        // the next practice's persona and the score comparison. A practice is its user and start
        // time: a scoring retried after the row was written updates it instead of adding one.
        await withId(db.schema.createTable('roleplays'))
          .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
          .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
          .addColumn('difficulty', 'text')
          .addColumn('focus', 'text')
          .addColumn('started_at', millis, (c) => c.notNull())
          .addColumn('scored_at', millis, (c) => c.notNull())
          .addColumn('score', 'integer', (c) => c.notNull())
          .addColumn('discovery', 'integer', (c) => c.notNull())
          .addColumn('objection_handling', 'integer', (c) => c.notNull())
          .addColumn('next_step', 'integer', (c) => c.notNull())
          .addColumn('summary', 'text')
          .addColumn('tips_json', 'text')
          .addColumn('transcript_json', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('roleplays_practice').on('roleplays').columns(['user_id', 'started_at']).unique().execute();
        await db.schema.createIndex('roleplays_scored').on('roleplays').column('scored_at').execute();
        await db.schema.createIndex('roleplays_user_scored').on('roleplays').columns(['user_id', 'scored_at']).execute();
        await db.schema.createIndex('roleplays_meeting').on('roleplays').column('meeting_id').execute();
        // `rolplay report` reads ranges of these without touching the table rows (100,000
        // meetings over two years: a second instead of several). Meetings by start, with what
        // the meetings figures group and filter on; outcomes in HubSpot by when they were
        // logged; whether a meeting's plan went out. The partial indexes are used because the
        // report's queries repeat their WHERE literally, and cost nothing for other rows.
        await db.schema.createIndex('meetings_report_start').on('meetings').columns(['start_at', 'user_id', 'status']).execute();
        await sql`create index meetings_outcomes on meetings (completed_at, user_id, end_at) where hubspot_note_id is not null`.execute(db);
        await sql`create index messages_plans on messages (meeting_id) where kind = 'plan' and direction = 'out'`.execute(db);
        // The persona a running practice leans on (the salesperson's weakest rubric part), kept
        // with the practice so every turn of it plays the same client.
        await db.schema.alterTable('conversations').addColumn('roleplay_focus', 'text').execute();
      },
    },
    '0011_digest_opt_out': {
      async up(db: Kysely<unknown>) {
        // A salesperson who replied "digest off" gets no weekly digest (1 = on, the default; an
        // integer rather than a boolean so both backends read the same value).
        await db.schema.alterTable('users').addColumn('digest_enabled', 'integer', (c) => c.notNull().defaultTo(1)).execute();
      },
    },
    '0012_user_language': {
      async up(db: Kysely<unknown>) {
        // The language every fixed text and every model answer is written in for this
        // salesperson ('en', 'es'; see src/domain/messages). Existing users keep English.
        await db.schema.alterTable('users').addColumn('language', 'text', (c) => c.notNull().defaultTo('en')).execute();
      },
    },
    '0013_voice_media': {
      async up(db: Kysely<unknown>) {
        // Spoken replies Twilio fetches from GET /media/<id> (conversation.voiceReplies). In the
        // database, not in memory: with several daemons behind one URL, the daemon that answers
        // Twilio's fetch may not be the one that made the clip. Rows live minutes (expires_at).
        await db.schema.createTable('voice_media')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('content_type', 'text', (c) => c.notNull())
          .addColumn('bytes', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
          .addColumn('expires_at', millis, (c) => c.notNull())
          .addColumn('created_at', millis, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('voice_media_expiry').on('voice_media').column('expires_at').execute();
      },
    },
    '0014_message_voice': {
      async up(db: Kysely<unknown>) {
        // 1 when an inbound message's body is the transcript of a voice note (the audio itself is
        // never stored). An integer, like users.digest_enabled, so both backends read the same value.
        await db.schema.alterTable('messages').addColumn('voice', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
  };
}

export class InCodeMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

export { sql };
