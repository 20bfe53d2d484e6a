import { NotFoundError } from '../../support/errors.js';
import type { JobStatus, RoleplayRow } from '../../store/database.js';
import type { Store } from '../../store/open-store.js';
import { seriesMarks } from '../../domain/series-position.js';
import { summarise, type MeetingSummary } from './list-meetings.js';

export interface MeetingDetail extends MeetingSummary {
  bodyPreview: string | null;
  location: string | null;
  joinUrl: string | null;
  eventId: string;
  /** exception: an occurrence moved or edited on its own in Outlook (keeps its own details). */
  occurrenceKind: 'occurrence' | 'exception' | null;
  /** The coaching plan as stored (Gemini's validated JSON), or null before it is written. */
  plan: unknown;
  outcome: unknown;
  lastReply: string | null;
  roleplayScore: number | null;
  clientsDetail: Array<{ id: number; name: string | null; email: string | null; company: string | null; hubspotContactId: string | null }>;
  user: (MeetingSummary['user'] & { phone: string; timezone: string }) | null;
  /** The WhatsApp conversation about this meeting, oldest first. */
  messages: Array<{ at: number; direction: 'in' | 'out'; kind: string; body: string; sid: string | null }>;
  /** The role-plays practised for this meeting, in the order they were scored. */
  roleplays: RoleplayDetail[];
  /** Every side effect queued for this meeting, with its state and last error. */
  jobs: Array<{ id: number; kind: string; status: JobStatus; attempts: number; maxAttempts: number; runAt: number; lastError: string | null; dedupeKey: string; result: unknown }>;
  createdAt: number;
  updatedAt: number;
}

/** One scored practice: its marks out of 10, what the coach said, and the turns it scored. */
export interface RoleplayDetail {
  id: number;
  startedAt: number;
  scoredAt: number;
  /** normal or hard, as the salesperson asked. */
  difficulty: string | null;
  /** The rubric part the client persona leaned on (discovery, objectionHandling, nextStep); null = none. */
  focus: string | null;
  score: number;
  rubric: { discovery: number; objectionHandling: number; nextStep: number };
  summary: string | null;
  tips: string[];
  transcript: Array<{ from: string; text: string }>;
}

/** Everything known about one meeting, for `meetings show` and the terminal UI's detail view. */
export async function meetingDetails(store: Pick<Store, 'meetings' | 'clients' | 'messages' | 'jobs' | 'users' | 'roleplays'>, id: number): Promise<MeetingDetail> {
  const row = await store.meetings.byId(id);
  if (!row) throw new NotFoundError(`no meeting with id ${id} (see \`rolplay meetings list\`)`);
  const [user, clients, messages, jobs, series, roleplays] = await Promise.all([
    row.user_id === null ? undefined : store.users.byId(row.user_id),
    store.clients.forMeeting(id),
    store.messages.forMeeting(id),
    store.jobs.forMeeting(id),
    row.series_master_id === null ? [] : store.meetings.seriesMembers([row.series_master_id]),
    store.roleplays.forMeeting(id),
  ]);
  const summary = summarise(
    { ...row, has_plan: row.plan_json === null ? 0 : 1, client_ids: null },
    user ? { id: user.id, email: user.email, name: user.name } : null,
    clients.map((c) => ({ name: c.name, email: c.email, company: c.company })),
    seriesMarks(series).get(row.id) ?? null,
  );
  return {
    ...summary,
    user: user ? { id: user.id, email: user.email, name: user.name, phone: user.phone, timezone: user.timezone } : null,
    bodyPreview: row.body_preview,
    location: row.location,
    joinUrl: row.join_url,
    eventId: row.event_id,
    occurrenceKind: row.occurrence_kind,
    plan: parseJson(row.plan_json),
    outcome: parseJson(row.outcome_json),
    lastReply: row.last_reply,
    roleplayScore: row.roleplay_score,
    clientsDetail: clients.map((c) => ({ id: c.id, name: c.name, email: c.email, company: c.company, hubspotContactId: c.hubspot_contact_id })),
    messages: messages.map((m) => ({ at: Number(m.created_at), direction: m.direction, kind: m.kind, body: m.body, sid: m.twilio_sid })),
    roleplays: roleplays.map(roleplayDetail),
    jobs: jobs.map((j) => ({
      id: j.id,
      kind: j.kind,
      status: j.status,
      attempts: j.attempts,
      maxAttempts: j.max_attempts,
      runAt: Number(j.run_at),
      lastError: j.last_error,
      dedupeKey: j.dedupe_key,
      result: parseJson(j.result),
    })),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function roleplayDetail(r: RoleplayRow): RoleplayDetail {
  const tips = parseJson(r.tips_json);
  const transcript = parseJson(r.transcript_json);
  return {
    id: r.id,
    startedAt: Number(r.started_at),
    scoredAt: Number(r.scored_at),
    difficulty: r.difficulty,
    focus: r.focus,
    score: r.score,
    rubric: { discovery: r.discovery, objectionHandling: r.objection_handling, nextStep: r.next_step },
    summary: r.summary,
    tips: Array.isArray(tips) ? tips.map(String) : [],
    // Written by rolplay as [{from, text}]; a row that is not (edited by hand) shows as one turn.
    transcript: Array.isArray(transcript)
      ? transcript.map((t: { from?: unknown; text?: unknown }) => ({ from: String(t?.from ?? '?'), text: String(t?.text ?? '') }))
      : [{ from: '?', text: String(transcript ?? '') }],
  };
}

/** Stored JSON documents are shown even when they do not parse (as the raw text). */
function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
