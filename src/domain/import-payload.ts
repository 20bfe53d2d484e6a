/**
 * The seed's `/outlook-webhook` JSON (what its Make.com scenario posted for each invitation),
 * read defensively for `rolplay meetings import`: each item is accepted or rejected with the
 * index and field at fault, so one bad row never blocks the rest of a migration.
 *
 *   { "meeting": { "title", "start_time", "end_time", "organizer": { "address" | "email" },
 *                  "meeting_id"?, "body"?, "location"? },
 *     "client":  { "name", "email", "company", "hubspot_contact_id" } }
 *
 * Fields may also sit at the top level (`start_time`, `organizer`, `meeting_id`...) as some
 * scenarios flattened them; `client` may be an array, or be called `clients`.
 */
export interface ImportedClient {
  name: string | null;
  email: string | null;
  company: string | null;
  hubspotContactId: string | null;
}

export interface ImportedMeeting {
  /** Stable across re-imports: the given meeting_id, or derived from organizer + start + title. */
  externalId: string;
  title: string;
  startAt: number;
  endAt: number;
  organizerEmail: string;
  body: string | null;
  location: string | null;
  clients: ImportedClient[];
}

export interface ImportRejection {
  /** 0-based position in the array (0 for a single object). */
  index: number;
  field: string;
  reason: string;
}

export interface ParsedImport {
  accepted: Array<{ index: number; meeting: ImportedMeeting }>;
  rejected: ImportRejection[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

class Reject extends Error {
  constructor(readonly field: string, reason: string) {
    super(reason);
  }
}

export function parseImportPayload(value: unknown): ParsedImport {
  const items = Array.isArray(value) ? value : [value];
  const result: ParsedImport = { accepted: [], rejected: [] };
  items.forEach((item, index) => {
    try {
      result.accepted.push({ index, meeting: parseItem(item) });
    } catch (error) {
      if (!(error instanceof Reject)) throw error;
      result.rejected.push({ index, field: error.field, reason: error.message });
    }
  });
  return result;
}

function parseItem(item: unknown): ImportedMeeting {
  if (!isObj(item)) throw new Reject('(item)', `expected an object with "meeting" and "client", found ${describe(item)}`);
  const meeting = isObj(item.meeting) ? item.meeting : {};
  const prefix = isObj(item.meeting) ? 'meeting.' : '';
  const pick = (key: string): { value: unknown; field: string } => {
    if (meeting[key] !== undefined) return { value: meeting[key], field: `meeting.${key}` };
    if (item[key] !== undefined) return { value: item[key], field: key };
    return { value: undefined, field: `${prefix}${key}` };
  };

  const title = pick('title');
  if (typeof title.value !== 'string' || title.value.trim() === '') throw new Reject(title.field, `expected the meeting title as text, found ${describe(title.value)}`);
  const start = time(pick('start_time'));
  const end = time(pick('end_time'));
  if (end <= start) throw new Reject(pick('end_time').field, 'the meeting ends before it starts');

  const org = pick('organizer');
  let organizer: unknown = org.value;
  if (isObj(organizer)) organizer = organizer.address ?? organizer.email ?? (isObj(organizer.emailAddress) ? organizer.emailAddress.address : undefined);
  const orgField = isObj(org.value) ? `${org.field}.address` : org.field;
  if (typeof organizer !== 'string' || !EMAIL.test(organizer.trim())) {
    throw new Reject(orgField, `expected the organizer's email (organizer.address or organizer.email), found ${describe(organizer)}`);
  }
  const organizerEmail = organizer.trim().toLowerCase();

  const clientValue = item.client ?? item.clients ?? meeting.client ?? meeting.clients;
  const clientField = item.client !== undefined ? 'client' : item.clients !== undefined ? 'clients' : 'meeting.client';
  const rawClients = clientValue === undefined || clientValue === null ? [] : Array.isArray(clientValue) ? clientValue : [clientValue];
  const clients = rawClients.map((c, i) => parseClient(c, Array.isArray(clientValue) ? `${clientField}[${i}]` : clientField));
  if (clients.length === 0) throw new Reject('client', 'expected the client: an object with name, email, company, hubspot_contact_id');

  const id = pick('meeting_id');
  let externalId: string;
  if (typeof id.value === 'string' && id.value.trim() !== '') externalId = id.value.trim();
  else if (typeof id.value === 'number' && Number.isFinite(id.value)) externalId = String(id.value);
  else if (id.value === undefined || id.value === null || id.value === '') externalId = `${organizerEmail}|${new Date(start).toISOString()}|${title.value.trim()}`;
  else throw new Reject(id.field, `expected the meeting id as text or a number, found ${describe(id.value)}`);

  return {
    externalId,
    title: title.value.trim(),
    startAt: start,
    endAt: end,
    organizerEmail,
    body: optionalText(pick('body')),
    location: optionalText(pick('location')),
    clients,
  };
}

function parseClient(value: unknown, field: string): ImportedClient {
  if (!isObj(value)) throw new Reject(field, `expected an object with name, email, company, hubspot_contact_id, found ${describe(value)}`);
  const text = (key: string): string | null => {
    const v = value[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'number' && key === 'hubspot_contact_id') return String(v);
    if (typeof v !== 'string') throw new Reject(`${field}.${key}`, `expected text, found ${describe(v)}`);
    return v.trim() || null;
  };
  const email = text('email');
  if (email !== null && !EMAIL.test(email)) throw new Reject(`${field}.email`, `"${email}" is not an email address`);
  const hubspotContactId = text('hubspot_contact_id');
  if (hubspotContactId !== null && !/^\d+$/.test(hubspotContactId)) throw new Reject(`${field}.hubspot_contact_id`, `expected a HubSpot record id (digits), found "${hubspotContactId}"`);
  const client = { name: text('name'), email: email?.toLowerCase() ?? null, company: text('company'), hubspotContactId };
  if (client.email === null && client.hubspotContactId === null) {
    throw new Reject(`${field}.email`, 'expected the client\'s email or hubspot_contact_id (needed to find them in HubSpot)');
  }
  return client;
}

function time(picked: { value: unknown; field: string }): number {
  const { value, field } = picked;
  if (typeof value !== 'string' || value.trim() === '') throw new Reject(field, `expected an ISO 8601 time such as 2026-01-05T10:00:00Z, found ${describe(value)}`);
  let text = value.trim().replace(' ', 'T');
  // Outlook writes 7 fractional digits and, in UTC, often no zone: both are fine here.
  text = text.replace(/(\.\d{3})\d+/, '$1');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text += 'Z';
  const t = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(t)) throw new Reject(field, `"${value}" is not an ISO 8601 time (e.g. 2026-01-05T10:00:00Z; no zone means UTC)`);
  return t;
}

function optionalText(picked: { value: unknown; field: string }): string | null {
  const { value, field } = picked;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Reject(field, `expected text, found ${describe(value)}`);
  return value.trim() || null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return `${typeof value} ${String(value)}`;
}
