import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types for Kysely. Times are UTC epoch milliseconds (INTEGER in SQLite, BIGINT in
 * PostgreSQL), so ordering and arithmetic work the same on both backends. JSON documents
 * (plans, payloads) are TEXT.
 */
type Id = Generated<number>;
type Millis = number;

export type MeetingStatus = 'scheduled' | 'plan_sent' | 'reminder_sent' | 'completed' | 'cancelled';
export const MEETING_STATUSES: readonly MeetingStatus[] = ['scheduled', 'plan_sent', 'reminder_sent', 'completed', 'cancelled'];

/** waiting: a keyed job queued behind another job of its queue key; never claimed until promoted. */
export type JobStatus = 'waiting' | 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface UsersTable {
  id: Id;
  email: string;
  name: string;
  phone: string;
  timezone: string;
  /** 1: the weekly digest goes out (the default); 0: the salesperson replied "digest off" (migration 0011). */
  digest_enabled: ColumnType<number, number | undefined, number>;
  /** 'en' or 'es' (a Language from src/domain/messages), migration 0012. */
  language: ColumnType<string, string | undefined, string>;
  created_at: Millis;
  updated_at: Millis;
}

export interface ClientsTable {
  id: Id;
  email: string | null;
  name: string | null;
  company: string | null;
  phone: string | null;
  hubspot_contact_id: string | null;
  hubspot_company_id: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface MeetingsTable {
  id: Id;
  /** Outlook event id, or "import:<id>" for meetings imported from the seed's webhook JSON. */
  event_id: string;
  ical_uid: string | null;
  change_key: string | null;
  source: 'graph' | 'import';
  title: string;
  body_preview: string | null;
  location: string | null;
  join_url: string | null;
  start_at: Millis;
  end_at: Millis;
  organizer_email: string;
  /** The registered salesperson; null = unmatched organizer (recorded, not coached). */
  user_id: number | null;
  status: MeetingStatus;
  plan_json: string | null;
  outcome_json: string | null;
  last_reply: string | null;
  hubspot_note_id: string | null;
  roleplay_score: number | null;
  /** When the post-meeting reminder was sent (migration 0004). */
  reminded_at: Millis | null;
  /** When the outcome was recorded and the meeting completed (migration 0004). */
  completed_at: Millis | null;
  /** The status a cancelled meeting had before, restored if its event comes back (migration 0002). */
  cancelled_from: MeetingStatus | null;
  /** When the calendar said the meeting was cancelled or deleted (migration 0002). */
  cancelled_at: Millis | null;
  /** The Graph series master of an occurrence or exception of a recurring meeting (migration 0008). */
  series_master_id: string | null;
  /** occurrence: filled from its series master; exception: edited on its own (migration 0008). */
  occurrence_kind: 'occurrence' | 'exception' | null;
  created_at: Millis;
  updated_at: Millis;
}

/** A recurring series' master event as last read from Graph (migration 0008). */
export interface CalendarSeriesTable {
  master_id: string;
  change_key: string | null;
  /** The master as a domain CalendarEvent, JSON. */
  event_json: string;
  updated_at: Millis;
}

export interface MeetingClientsTable {
  meeting_id: number;
  client_id: number;
}

export interface MessagesTable {
  id: Id;
  direction: 'in' | 'out';
  user_id: number | null;
  meeting_id: number | null;
  /** The other side's number, E.164. */
  phone: string;
  body: string;
  /** Twilio MessageSid: unique, so an inbound webhook delivered twice is stored once. */
  twilio_sid: string | null;
  kind: string;
  created_at: Millis;
  /** The send_whatsapp job that sent it (outgoing only; migration 0007). */
  job_id: number | null;
  /** Twilio's latest status from the status callback: sent, delivered, read, failed... (migration 0007). */
  delivery_status: string | null;
  /** Twilio's ErrorCode when failed or undelivered (63016 = outside the 24-hour window; migration 0007). */
  error_code: number | null;
  /** When the last status that changed the row arrived (migration 0007). */
  delivery_updated_at: Millis | null;
  /** 1: the body is the transcript of a voice note the salesperson sent (migration 0014). */
  voice: ColumnType<number, number | undefined, number>;
}

export interface JobsTable {
  id: Id;
  kind: string;
  payload: string;
  run_at: Millis;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  /** One job per side effect: a second enqueue with the same key is a no-op. */
  dedupe_key: string;
  meeting_id: number | null;
  lease_owner: string | null;
  lease_until: Millis | null;
  /** What the side effect produced (message SIDs, note id), JSON. */
  result: string | null;
  created_at: Millis;
  updated_at: Millis;
  /** The concurrency pool that claims it (migration 0009). */
  lane: ColumnType<string, string | undefined, string>;
  /** 0 = urgent (claimed before any normal job of its lane), 1 = normal (migration 0009). */
  priority: ColumnType<number, number | undefined, number>;
  /** Jobs sharing a key run one at a time, in id order, e.g. 'conversation:+34612345678' (migration 0009). */
  queue_key: string | null;
}

/** One row per queue key ever used: the row lock that orders a key's enqueues and promotions (migration 0009). */
export interface JobQueuesTable {
  queue_key: string;
}

export interface SyncStateTable {
  key: string;
  value: string;
  updated_at: Millis;
}

export interface LeasesTable {
  name: string;
  holder: string;
  /** Grows by one at every change of holder: writes carry it, so a stale leader's are refused. */
  epoch: number;
  /** Database clock, epoch ms. */
  expires_at: Millis;
}

/** Per-user conversation state (migration 0003). */
export interface ConversationsTable {
  user_id: number;
  /** The meeting picked with "switch N"; null = choose automatically. */
  meeting_id: number | null;
  mode: 'coach' | 'roleplay';
  roleplay_meeting_id: number | null;
  difficulty: string | null;
  roleplay_started_at: Millis | null;
  /** The rubric part the running practice's persona leans on (migration 0010). */
  roleplay_focus: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Millis;
}

/** A full text held back after a business-initiated template, until the user replies (migration 0003). */
export interface DeferredMessagesTable {
  id: Id;
  user_id: number;
  meeting_id: number | null;
  kind: string;
  body: string;
  dedupe_key: string;
  created_at: Millis;
  delivered_at: Millis | null;
}

/** One scored role-play practice (migration 0010). Marks are 1-10. */
export interface RoleplaysTable {
  id: Id;
  meeting_id: number | null;
  user_id: number | null;
  difficulty: string | null;
  /** The rubric part the persona leaned on: discovery, objectionHandling, nextStep; null = none. */
  focus: string | null;
  started_at: Millis;
  scored_at: Millis;
  score: number;
  discovery: number;
  objection_handling: number;
  next_step: number;
  summary: string | null;
  /** The two tips, JSON array of strings. */
  tips_json: string | null;
  /** The turns scored, JSON [{from: 'salesperson' | 'bot', text}]. */
  transcript_json: string;
}

/** One spoken reply served at GET /media/<id> until expires_at (migration 0013). */
export interface VoiceMediaTable {
  /** Random, URL-safe, at least 128 bits: the URL is the only thing that guards the clip. */
  id: string;
  /** What WhatsApp is told it is, e.g. audio/mpeg. */
  content_type: string;
  bytes: Uint8Array;
  expires_at: Millis;
  created_at: Millis;
}

export interface Database {
  users: UsersTable;
  clients: ClientsTable;
  meetings: MeetingsTable;
  meeting_clients: MeetingClientsTable;
  messages: MessagesTable;
  jobs: JobsTable;
  job_queues: JobQueuesTable;
  sync_state: SyncStateTable;
  leases: LeasesTable;
  conversations: ConversationsTable;
  deferred_messages: DeferredMessagesTable;
  calendar_series: CalendarSeriesTable;
  roleplays: RoleplaysTable;
  voice_media: VoiceMediaTable;
}

export type UserRow = Selectable<UsersTable>;
export type ClientRow = Selectable<ClientsTable>;
export type MeetingRow = Selectable<MeetingsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type JobRow = Selectable<JobsTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type RoleplayRow = Selectable<RoleplaysTable>;
export type DeferredMessageRow = Selectable<DeferredMessagesTable>;
export type NewMeeting = Insertable<MeetingsTable>;
export type MeetingUpdate = Updateable<MeetingsTable>;
export type NewJob = Insertable<JobsTable>;
export type { ColumnType };
