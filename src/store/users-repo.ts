import type { Kysely } from 'kysely';
import type { Database, UserRow } from './database.js';
import { equivalentPhones } from '../domain/phone-address.js';

export interface UserInput {
  email: string;
  name: string;
  phone: string;
  timezone: string;
  /** A catalogue's language code; kept as it is on an update when absent (a new user gets the column's default). */
  language?: string;
}

export class UsersRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts or updates by (lower-cased) email; says which happened. */
  async upsert(input: UserInput, now: number): Promise<{ user: UserRow; created: boolean }> {
    const email = input.email.toLowerCase();
    return this.db.transaction().execute(async (tx) => {
      const existing = await tx.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      if (existing) {
        const user = await tx.updateTable('users')
          .set({ name: input.name, phone: input.phone, timezone: input.timezone, ...(input.language ? { language: input.language } : {}), updated_at: now })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { user, created: false };
      }
      const user = await tx.insertInto('users')
        .values({ email, name: input.name, phone: input.phone, timezone: input.timezone, ...(input.language ? { language: input.language } : {}), created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { user, created: true };
    });
  }

  byEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  }

  /** Which of these (lower-cased) addresses belong to registered salespeople. */
  async registeredAmong(emails: string[]): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    const rows = await this.db.selectFrom('users').select('email').where('email', 'in', emails.slice(0, 1000)).execute();
    return new Set(rows.map((r) => r.email));
  }

  /** The user with this WhatsApp number, in any of the forms WhatsApp may report it. */
  byPhone(e164: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('phone', 'in', equivalentPhones(e164)).orderBy('id').executeTakeFirst();
  }

  byId(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** "digest off" / "digest on": whether this salesperson gets the weekly digest. */
  async setDigestEnabled(id: number, enabled: boolean, now: number): Promise<boolean> {
    const result = await this.db.updateTable('users').set({ digest_enabled: enabled ? 1 : 0, updated_at: now }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** "language es" on WhatsApp: the language of every text and model answer for this salesperson. */
  async setLanguage(id: number, language: string, now: number): Promise<boolean> {
    const result = await this.db.updateTable('users').set({ language, updated_at: now }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('email').execute();
  }

  async remove(email: string): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('email', '=', email.toLowerCase()).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
