import { Client } from '@hubspot/api-client';
import { waitOutAmbiguity } from '../ambiguous-wait.js';
import { HUBSPOT_TEXT_LIMIT } from '../../domain/fit-body.js';
import { ProviderError, errorMessage } from '../../support/errors.js';
import type { Logger } from '../../support/logger.js';
import {
  ASSOCIATION, HUBSPOT_SCOPES,
  type ClientContext, type Crm, type CrmCompany, type CrmContact, type CrmNoteSummary, type MarkerQuery,
  type NewContact, type NewNote, type NewTask, type ScopeProbe,
} from './crm.js';
import { toHubspotError, type HubspotCall } from './hubspot-error.js';
import { htmlToText, idOf, resultsOf, toCompany, toContact, toNoteSummary, type RawRecord } from './hubspot-records.js';

export interface HubspotCrmOptions {
  accessToken: string;
  /** "" or undefined = https://api.hubapi.com; an http://127.0.0.1:PORT simulator works too. */
  basePath?: string;
  /** Per-call limit; the SDK has none, and a hung call would hold a job's lease. */
  timeoutMs?: number;
  logger: Logger;
}

const CONTACT_PROPERTIES = ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'phone', 'lifecyclestage', 'hs_lead_status', 'associatedcompanyid', 'city', 'country', 'industry', 'notes_last_contacted'];
const COMPANY_PROPERTIES = ['name', 'domain', 'industry'];
/** Properties that are bookkeeping, not context a coach can use. */
const INTERNAL_PROPERTIES = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'associatedcompanyid']);
const { contactsRead, contactsWrite, companiesRead } = HUBSPOT_SCOPES;

// SDK request types are generated classes with string enums; plain objects of the same shape are
// what it serialises, so they are cast at this one boundary.
type Loose = never;

/**
 * The HubSpot CRM through @hubspot/api-client 13. The SDK's own retries are off
 * (numberOfApiCallRetries 0): they are process-wide, ignore Retry-After, sleep 10 s inline and log
 * with console.error. Failures become ProviderErrors and the durable job runner retries them.
 */
export function createHubspotCrm(options: HubspotCrmOptions): Crm {
  const client = new Client({ accessToken: options.accessToken, basePath: options.basePath || undefined, numberOfApiCallRetries: 0 });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const logger = options.logger;

  async function call<T>(info: HubspotCall, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (error) {
      throw waitOutAmbiguity(toHubspotError(error, info), timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  const search = (objects: 'contacts' | 'notes' | 'tasks', request: Record<string, unknown>, action: string): Promise<RawRecord[]> => {
    const api = objects === 'contacts' ? client.crm.contacts.searchApi : objects === 'notes' ? client.crm.objects.notes.searchApi : client.crm.objects.tasks.searchApi;
    return call({ action, write: false, scope: contactsRead }, async () => resultsOf(await api.doSearch(request as Loose)));
  };

  const byContact = (contactId: string) => [{ filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: contactId }] }];

  const crm: Crm = {
    async findContactByEmail(email) {
      const results = await search('contacts', {
        filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email.trim() }] }],
        properties: CONTACT_PROPERTIES,
        limit: 1,
      }, 'search contacts by email');
      return toContact(results[0]);
    },

    async createContact(input: NewContact) {
      const properties: Record<string, string> = { email: input.email.trim() };
      if (input.firstName) properties.firstname = input.firstName;
      if (input.lastName) properties.lastname = input.lastName;
      if (input.company) properties.company = input.company;
      try {
        const created = await call({ action: 'create a contact', write: true, scope: contactsWrite }, () => client.crm.contacts.basicApi.create({ properties, associations: [] }));
        const contact = toContact(created as RawRecord);
        if (!contact) throw new ProviderError('HubSpot created a contact but sent back no id', { provider: 'hubspot', retryable: true, ambiguous: true });
        return contact;
      } catch (error) {
        // Search is eventually consistent: a contact created moments ago may exist although the
        // search missed it. HubSpot's 409 names it ("Contact already exists. Existing ID: 123").
        const existing = error instanceof ProviderError && error.status === 409 ? existingIdFrom(error) : null;
        if (!existing) throw error;
        const found = await call({ action: 'read a contact', write: false, scope: contactsRead }, () => client.crm.contacts.basicApi.getById(existing, CONTACT_PROPERTIES)).catch(() => null);
        return toContact(found as RawRecord | null) ?? { id: existing, email: properties.email!, firstName: null, lastName: null, companyId: null, properties: { email: properties.email! } };
      }
    },

    async getCompany(id) {
      try {
        const company = await call({ action: 'read a company', write: false, scope: companiesRead }, () => client.crm.companies.basicApi.getById(id, COMPANY_PROPERTIES));
        return toCompany(company as RawRecord);
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404) return null;
        throw error;
      }
    },

    async getCompanyIdForContact(contactId) {
      const reply = await call({ action: 'read the companies of a contact', write: false, scope: contactsRead },
        () => client.crm.associations.v4.basicApi.getPage('contacts', contactId, 'companies', undefined, 100));
      const links = resultsOf(reply) as Array<{ toObjectId?: unknown; associationTypes?: unknown }>;
      const ids = links.map((link) => ({ id: idOf({ id: link.toObjectId }), primary: isPrimary(link.associationTypes) })).filter((l): l is { id: string; primary: boolean } => l.id !== null);
      return (ids.find((l) => l.primary) ?? ids[0])?.id ?? null;
    },

    async createNote(input: NewNote) {
      const associations = [
        ...input.contactIds.map((id) => link(id, ASSOCIATION.noteToContact)),
        ...input.companyIds.map((id) => link(id, ASSOCIATION.noteToCompany)),
      ];
      withinLimit('note', input.body);
      const created = await call({ action: 'create a note', write: true, scope: contactsWrite }, () => client.crm.objects.notes.basicApi.create({
        properties: { hs_note_body: input.body, hs_timestamp: new Date(input.timestamp).toISOString() },
        associations: associations as Loose,
      }));
      const id = idOf(created as RawRecord);
      if (!id) throw new ProviderError('HubSpot created a note but sent back no id', { provider: 'hubspot', retryable: true, ambiguous: true });
      return { id };
    },

    async findNotesByMarker({ marker, contactId }: MarkerQuery) {
      const results = await search('notes', {
        filterGroups: byContact(contactId),
        properties: ['hs_note_body', 'hs_timestamp'],
        sorts: [{ propertyName: 'hs_createdate', direction: 'DESCENDING' }],
        limit: 100,
      }, 'search the notes of a contact');
      return results.map(toNoteSummary).filter((n): n is CrmNoteSummary => n !== null && n.body.includes(marker)).map((n) => n.id);
    },

    async recentNotesForContact(contactId, limit) {
      const results = await search('notes', {
        filterGroups: byContact(contactId),
        properties: ['hs_note_body', 'hs_timestamp'],
        sorts: [{ propertyName: 'hs_timestamp', direction: 'DESCENDING' }],
        limit: Math.max(1, Math.min(limit, 100)),
      }, 'read the notes of a contact');
      return results.map(toNoteSummary).filter((n): n is CrmNoteSummary => n !== null);
    },

    async createTask(input: NewTask) {
      const associations = [
        ...input.contactIds.map((id) => link(id, ASSOCIATION.taskToContact)),
        ...input.companyIds.map((id) => link(id, ASSOCIATION.taskToCompany)),
      ];
      withinLimit('task', input.body);
      const created = await call({ action: 'create a task', write: true, scope: contactsWrite }, () => client.crm.objects.tasks.basicApi.create({
        properties: {
          hs_task_subject: input.subject.slice(0, 500),
          hs_task_body: input.body,
          hs_timestamp: new Date(input.dueAt).toISOString(),
          hs_task_status: 'NOT_STARTED',
          hs_task_type: 'TODO',
        },
        associations: associations as Loose,
      }));
      const id = idOf(created as RawRecord);
      if (!id) throw new ProviderError('HubSpot created a task but sent back no id', { provider: 'hubspot', retryable: true, ambiguous: true });
      return { id };
    },

    async findTasksByMarker({ marker, contactId }: MarkerQuery) {
      const results = await search('tasks', {
        filterGroups: byContact(contactId),
        properties: ['hs_task_body', 'hs_task_subject'],
        sorts: [{ propertyName: 'hs_createdate', direction: 'DESCENDING' }],
        limit: 100,
      }, 'search the tasks of a contact');
      return results.filter((r) => (r.properties as Record<string, unknown> | undefined)?.hs_task_body?.toString().includes(marker)).map(idOf).filter((id): id is string => id !== null);
    },

    async getClientContext(email) {
      const contact = await crm.findContactByEmail(email);
      if (!contact) return null;
      const context: ClientContext = { contactId: contact.id, properties: usefulProperties(contact), notes: [] };
      const company = await bestEffort('company', async () => {
        const id = contact.companyId ?? (await crm.getCompanyIdForContact(contact.id));
        return id ? crm.getCompany(id) : null;
      });
      if (company) context.company = companyContext(company);
      const notes = await bestEffort('notes', () => crm.recentNotesForContact(contact.id, 5));
      context.notes = (notes ?? []).map((n) => ({ body: htmlToText(n.body).slice(0, 2000), timestamp: n.timestamp })).filter((n) => n.body !== '');
      return context;
    },

    async checkAccess() {
      const probes: Array<[string, () => Promise<unknown>]> = [
        [contactsRead, () => client.crm.contacts.searchApi.doSearch({ limit: 1, properties: ['email'] } as Loose)],
        [companiesRead, () => client.crm.companies.basicApi.getPage(1, undefined, ['name'])],
      ];
      const out: ScopeProbe[] = [];
      for (const [scope, probe] of probes) {
        try {
          await call({ action: `check access (${scope})`, write: false, scope }, probe);
          out.push({ scope, ok: true });
        } catch (error) {
          out.push({ scope, ok: false, problem: errorMessage(error) });
          // A rejected token fails every probe the same way: say it once.
          if (error instanceof ProviderError && error.status === 401) break;
        }
      }
      return out;
    },
  };

  async function bestEffort<T>(what: string, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (error) {
      // The contact alone is still useful context; a missing companies scope must not cost the plan.
      logger.warn({ err: errorMessage(error) }, `HubSpot client context without ${what}`);
      return null;
    }
  }

  return crm;
}

/**
 * HubSpot would cut a longer body at the limit and lose its end, the idempotency marker with
 * it (a retry would then create a second record): refuse instead. The domain's body builders
 * (fit-body.ts) keep every body well under it.
 */
function withinLimit(what: 'note' | 'task', body: string): void {
  if (body.length <= HUBSPOT_TEXT_LIMIT) return;
  throw new ProviderError(`rolplay built a ${what} body of ${body.length} characters, over HubSpot's limit of ${HUBSPOT_TEXT_LIMIT}; nothing was sent (a bug: please report it)`, {
    provider: 'hubspot', retryable: false, code: 'HUBSPOT_BODY_TOO_LONG',
  });
}

function link(id: string, associationTypeId: number) {
  return { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }] };
}

function isPrimary(types: unknown): boolean {
  if (!Array.isArray(types)) return false;
  return types.some((t: { typeId?: unknown; label?: unknown } | null) => t?.typeId === ASSOCIATION.contactToCompanyPrimary || (typeof t?.label === 'string' && /primary/i.test(t.label)));
}

function existingIdFrom(error: ProviderError): string | null {
  const match = /Existing ID:\s*(\d+)/i.exec(error.message);
  return match ? match[1]! : null;
}

function usefulProperties(contact: CrmContact): Record<string, string> {
  return Object.fromEntries(Object.entries(contact.properties).filter(([key, value]) => !INTERNAL_PROPERTIES.has(key) && value.trim() !== ''));
}

function companyContext(company: CrmCompany): NonNullable<ClientContext['company']> {
  const out: NonNullable<ClientContext['company']> = { id: company.id, name: company.name ?? company.domain ?? `company ${company.id}` };
  if (company.domain) out.domain = company.domain;
  if (company.industry) out.industry = company.industry;
  return out;
}
