import { dirname } from 'node:path';
import { StoreError, errorMessage, type StoreFailure } from '../support/errors.js';
import type { Dialect } from './migrations.js';

/** Where the data lives, for messages: the SQLite file, or the PostgreSQL URL without password. */
export interface StoreWhere {
  dialect: Dialect;
  location: string;
  /** SQLite's busy timeout, named in the "locked" message. */
  busyTimeoutMs?: number;
}

const PG_CONNECTION = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const PG_CONFLICT = new Set(['55P03', '40P01', '40001']);

/**
 * The one place that turns SQLite's and PostgreSQL's failure codes into a StoreError a person
 * can act on (what happened, to which file or server, what to do). Other errors (a constraint
 * violation, a bug in a query) come back unchanged.
 */
export function toStoreError(error: unknown, where: StoreWhere): unknown {
  if (error instanceof StoreError) return error;
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const make = (reason: StoreFailure, message: string, retryable = true) =>
    new StoreError(message, { code: `STORE_${reason.toUpperCase()}`, reason, retryable, cause: error });
  if (where.dialect === 'sqlite') {
    const file = where.location;
    const dir = dirname(file);
    const waited = where.busyTimeoutMs ?? 5000;
    const after = waited >= 1000 ? `${Math.round(waited / 1000)} s` : `${waited} ms`;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return make('locked', `the database ${file} is locked by another process (still locked after ${after}, ${code}): another rolplay, a sqlite3 shell or a backup is writing to it; stop it or wait, then try again`);
    }
    if (code === 'SQLITE_FULL') {
      return make('full', `the disk is full: SQLite cannot write to the data directory ${dir} (${code}: ${errorMessage(error)}); free space there or move dataDir to a larger disk (data already saved is kept)`);
    }
    if (code.startsWith('SQLITE_IOERR')) {
      return make('io', `cannot read or write the database ${file} (${code}): check the disk holding the data directory ${dir} (the system log shows I/O errors)`);
    }
    if (code.startsWith('SQLITE_READONLY')) {
      return make('readonly', `the database ${file} is read-only (${code}): make it and the data directory ${dir} writable by the user running rolplay`);
    }
    if (code.startsWith('SQLITE_CANTOPEN')) {
      return make('cantopen', `cannot open the database ${file} (${code}): check that the data directory ${dir} exists and is writable`);
    }
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
      return make('corrupt', `the database ${file} is damaged (${code}): restore it from a backup, or move it aside to start empty`, false);
    }
    return error;
  }
  const server = where.location;
  if (code === '53100') {
    return make('full', `the PostgreSQL server at ${server} is out of disk space (53100 disk_full): free space on the database server (data already saved is kept)`);
  }
  if (code === '25006') {
    return make('readonly', `the PostgreSQL server at ${server} is read-only (25006, a standby?): point database.url / DATABASE_URL at the primary`);
  }
  if (PG_CONFLICT.has(code)) {
    return make('locked', `PostgreSQL at ${server} refused the write because of a conflicting lock (${code}); it is tried again`);
  }
  if (PG_CONNECTION.has(code) || /^Connection terminated/i.test(errorMessage(error))) {
    return make('unreachable', `cannot reach PostgreSQL at ${server}, or lost the connection (${code || errorMessage(error)}): check database.url / DATABASE_URL and that the server is running; it is tried again`);
  }
  return error;
}
