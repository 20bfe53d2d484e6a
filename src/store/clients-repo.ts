import type { Kysely } from 'kysely';
import type { ClientRow, Database } from './database.js';

export interface ClientInput {
  email: string | null;
  name?: string | null;
  company?: string | null;
  phone?: string | null;
  hubspotContactId?: string | null;
}

/** Clients are the external attendees; one row per email, shared across meetings. */
export class ClientsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Finds by email (case-insensitive) or creates; fills in blanks but never erases known data. */
  async upsert(input: ClientInput, now: number): Promise<ClientRow> {
    const email = input.email ? input.email.toLowerCase() : null;
    const existing = email ? await this.db.selectFrom('clients').selectAll().where('email', '=', email).executeTakeFirst() : undefined;
    if (existing) {
      const patch = {
        name: input.name ?? existing.name,
        company: input.company ?? existing.company,
        phone: input.phone ?? existing.phone,
        hubspot_contact_id: input.hubspotContactId ?? existing.hubspot_contact_id,
      };
      const changed = (Object.keys(patch) as Array<keyof typeof patch>).some((k) => patch[k] !== existing[k]);
      if (!changed) return existing;
      return this.db.updateTable('clients').set({ ...patch, updated_at: now }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
    }
    return this.db.insertInto('clients')
      .values({
        email,
        name: input.name ?? null,
        company: input.company ?? null,
        phone: input.phone ?? null,
        hubspot_contact_id: input.hubspotContactId ?? null,
        hubspot_company_id: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('email').doUpdateSet({ updated_at: now }))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  byId(id: number): Promise<ClientRow | undefined> {
    return this.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  }

  forMeeting(meetingId: number): Promise<ClientRow[]> {
    return this.db.selectFrom('clients')
      .innerJoin('meeting_clients', 'meeting_clients.client_id', 'clients.id')
      .selectAll('clients')
      .where('meeting_clients.meeting_id', '=', meetingId)
      .orderBy('clients.id')
      .execute();
  }

  /**
   * A salesperson who registers is a colleague, not a client: drops `email` from the clients of
   * meetings that have not ended (past meetings keep who was there). Returns how many links went.
   */
  async unlinkFromUpcomingMeetings(email: string, now: number): Promise<number> {
    const result = await this.db.deleteFrom('meeting_clients')
      .where('client_id', 'in', (eb) => eb.selectFrom('clients').select('id').where('email', '=', email.toLowerCase()))
      .where('meeting_id', 'in', (eb) => eb.selectFrom('meetings').select('id').where('end_at', '>', now))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Makes the meeting's client list exactly `clientIds`. */
  async setForMeeting(meetingId: number, clientIds: number[]): Promise<void> {
    // Inside a caller's transaction (a calendar page is applied in one) Kysely cannot nest another.
    const atomically = <T>(fn: (tx: Kysely<Database>) => Promise<T>) => (this.db.isTransaction ? fn(this.db) : this.db.transaction().execute(fn));
    await atomically(async (tx) => {
      await tx.deleteFrom('meeting_clients').where('meeting_id', '=', meetingId).execute();
      const unique = [...new Set(clientIds)];
      if (unique.length > 0) {
        await tx.insertInto('meeting_clients').values(unique.map((client_id) => ({ meeting_id: meetingId, client_id }))).execute();
      }
    });
  }

  async setHubspotIds(id: number, ids: { contactId?: string | null; companyId?: string | null }, now: number): Promise<void> {
    const patch: { hubspot_contact_id?: string | null; hubspot_company_id?: string | null; updated_at: number } = { updated_at: now };
    if (ids.contactId !== undefined) patch.hubspot_contact_id = ids.contactId;
    if (ids.companyId !== undefined) patch.hubspot_company_id = ids.companyId;
    await this.db.updateTable('clients').set(patch).where('id', '=', id).execute();
  }
}
