import type { Crm } from '../../clients/hubspot/crm.js';
import type { ClientRow } from '../../store/database.js';
import type { Services } from '../services.js';

export interface ResolvedContacts {
  contactIds: string[];
  companyIds: string[];
  /** "Ann Lee (Acme)" per contact found or created, for the confirmation. */
  labels: string[];
  /** Client emails with no HubSpot contact (and creating one is off). */
  missing: string[];
  created: string[];
}

/**
 * The HubSpot contacts (and their companies) of a meeting's clients: by the id cached on the
 * client, else by email search, else created when hubspot.createMissingContacts is on. Ids found
 * are cached on the client so later meetings skip the search (which is eventually consistent).
 */
export async function resolveCrmContacts(services: Pick<Services, 'config' | 'clock' | 'store' | 'logger'>, crm: Crm, clients: ClientRow[]): Promise<ResolvedContacts> {
  const out: ResolvedContacts = { contactIds: [], companyIds: [], labels: [], missing: [], created: [] };
  for (const client of clients) {
    if (!client.email) continue;
    let contactId = client.hubspot_contact_id;
    let companyId = client.hubspot_company_id;
    let name = client.name;
    if (!contactId) {
      let contact = await crm.findContactByEmail(client.email);
      if (!contact && services.config.hubspot.createMissingContacts) {
        const [firstName, ...rest] = (client.name ?? '').trim().split(/\s+/);
        contact = await crm.createContact({ email: client.email, firstName: firstName || null, lastName: rest.join(' ') || null, company: client.company });
        out.created.push(client.email);
      }
      if (!contact) {
        out.missing.push(client.email);
        continue;
      }
      contactId = contact.id;
      companyId = companyId ?? contact.companyId;
      name = name ?? ([contact.firstName, contact.lastName].filter(Boolean).join(' ') || null);
    }
    if (!companyId) {
      companyId = await crm.getCompanyIdForContact(contactId).catch((error: unknown) => {
        // The note still reaches the contact without its company.
        services.logger.warn({ err: (error as Error).message }, 'could not read the company of a HubSpot contact');
        return null;
      });
    }
    if (contactId !== client.hubspot_contact_id || companyId !== client.hubspot_company_id) {
      await services.store.clients.setHubspotIds(client.id, { contactId, companyId }, services.clock.now());
    }
    if (!out.contactIds.includes(contactId)) {
      out.contactIds.push(contactId);
      out.labels.push(`${name || client.email}${client.company ? ` (${client.company})` : ''}`);
    }
    if (companyId && !out.companyIds.includes(companyId)) out.companyIds.push(companyId);
  }
  return out;
}
