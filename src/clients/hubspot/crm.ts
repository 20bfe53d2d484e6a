/**
 * What rolplay needs from a CRM, in plain domain types (no SDK types leak out of
 * src/clients/hubspot). Lifecycle code depends on this interface; tests may pass a fake, the
 * daemon passes the HubSpot implementation built by createHubspotCrm.
 */
export interface CrmContact {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** The contact's primary company id, when HubSpot reports one on the contact itself. */
  companyId: string | null;
  /** Every property HubSpot returned, as strings (missing or null values left out). */
  properties: Record<string, string>;
}

export interface CrmCompany {
  id: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
}

export interface CrmNoteSummary {
  id: string;
  body: string;
  /** Epoch ms of hs_timestamp, or null when HubSpot sent none / an unreadable one. */
  timestamp: number | null;
}

/** Context about a client for the coaching-plan prompt. */
export interface ClientContext {
  contactId: string;
  properties: Record<string, string>;
  company?: { id: string; name: string; domain?: string; industry?: string };
  /** Most recent first, bodies as plain text. */
  notes: Array<{ body: string; timestamp: number | null }>;
}

export interface NewContact {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
}

export interface NewNote {
  /** HTML or plain text, at most 65,536 characters. */
  body: string;
  /** Epoch ms: where the note sits on the record timeline (rolplay uses the meeting start). */
  timestamp: number;
  contactIds: string[];
  companyIds: string[];
}

export interface NewTask {
  subject: string;
  body: string;
  /** Epoch ms: the task's due date. */
  dueAt: number;
  contactIds: string[];
  companyIds: string[];
}

export interface MarkerQuery {
  /** Text embedded in the record's body when it was created, e.g. "[rolplay:meeting:42]". */
  marker: string;
  /** Only records associated with this contact are searched (keeps the search small and exact). */
  contactId: string;
}

export interface ScopeProbe {
  /** The private-app scope the probe needs, e.g. "crm.objects.contacts.read". */
  scope: string;
  ok: boolean;
  /** Why it failed, with the setting or scope to fix. */
  problem?: string;
}

export interface Crm {
  findContactByEmail(email: string): Promise<CrmContact | null>;
  /** Creates a contact; if HubSpot says one with this email exists, returns that one instead. */
  createContact(input: NewContact): Promise<CrmContact>;
  getCompany(id: string): Promise<CrmCompany | null>;
  /** The contact's company: its primary one when labelled, else the first associated. */
  getCompanyIdForContact(contactId: string): Promise<string | null>;
  createNote(input: NewNote): Promise<{ id: string }>;
  /** Notes of a contact whose body contains the marker (to find a note an unanswered call created). */
  findNotesByMarker(query: MarkerQuery): Promise<string[]>;
  recentNotesForContact(contactId: string, limit: number): Promise<CrmNoteSummary[]>;
  createTask(input: NewTask): Promise<{ id: string }>;
  findTasksByMarker(query: MarkerQuery): Promise<string[]>;
  /** Contact, company and recent notes for the plan prompt; null when no contact has this email. */
  getClientContext(email: string): Promise<ClientContext | null>;
  /** Read-only calls that show whether the token works and which read scopes it has (for doctor). */
  checkAccess(): Promise<ScopeProbe[]>;
}

/** Association type ids HubSpot defines (HUBSPOT_DEFINED category). */
export const ASSOCIATION = {
  noteToContact: 202,
  noteToCompany: 190,
  taskToContact: 204,
  taskToCompany: 192,
  contactToCompanyPrimary: 1,
  contactToCompany: 279,
} as const;

/** The private-app scopes rolplay uses (README lists them for set-up). */
export const HUBSPOT_SCOPES = {
  contactsRead: 'crm.objects.contacts.read',
  contactsWrite: 'crm.objects.contacts.write',
  companiesRead: 'crm.objects.companies.read',
} as const;
