import { UsageError } from '../support/errors.js';
import type { Store } from '../store/open-store.js';
import type { SqliteReads } from '../store/sqlite-reads.js';
import type { CliContext } from './cli-context.js';

/** A meeting id from the command line, or a UsageError naming where ids come from. */
export function parseMeetingId(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`"${text}" is not a meeting id: expected the number in the ID column of \`rolplay meetings list\``);
  }
  return Number(text);
}

/** The configured store; the store code (Kysely, the SQLite driver) loads only here. */
export async function openCliStore(ctx: Pick<CliContext, 'config'>): Promise<Store> {
  const { openStore } = await import('../store/open-store.js');
  return openStore({ databaseUrl: ctx.config.database.url, dataDir: ctx.config.dataDir });
}

/**
 * The store for a command that only reads: on SQLite at the latest migration, prepared
 * statements without Kysely (see sqlite-reads.ts); otherwise the full store.
 */
export async function openCliReads(ctx: Pick<CliContext, 'config'>): Promise<Pick<Store, 'users' | 'meetings' | 'close'> | SqliteReads> {
  if (ctx.config.database.url === '') {
    const { openSqliteReads } = await import('../store/sqlite-reads.js');
    const reads = openSqliteReads({ dataDir: ctx.config.dataDir });
    if (reads) return reads;
  }
  return openCliStore(ctx);
}
