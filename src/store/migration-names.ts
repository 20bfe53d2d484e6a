/**
 * The names of migrations.ts's migrations, in order, without loading Kysely (the migrations are
 * written with its schema builder): the CLI's direct SQLite reads check with these that the
 * store is current. A test keeps the list equal to migrations.ts's.
 */
export const MIGRATION_NAMES: readonly string[] = ['0001_initial', '0002_calendar_ingest', '0003_conversations', '0004_follow_up', '0006_leases', '0007_message_delivery', '0008_recurring_series', '0009_job_lanes', '0010_roleplays', '0011_digest_opt_out', '0012_user_language', '0013_voice_media', '0014_message_voice'];
