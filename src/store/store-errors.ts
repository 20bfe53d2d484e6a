import { CompiledQuery, type DatabaseConnection, type Dialect as KyselyDialect, type Driver, type QueryCompiler, type QueryResult, type TransactionSettings } from 'kysely';
import { errorMessage } from '../support/errors.js';
import type { Dialect } from './migrations.js';
import { toStoreError, type StoreWhere } from './to-store-error.js';

// Kept apart from the Kysely wrapper below so the CLI's direct SQLite reads use it without Kysely.
export { toStoreError, type StoreWhere };

/**
 * Wraps a Kysely dialect so every query, transaction step and connection error goes through
 * toStoreError. On SQLite, transactions also begin IMMEDIATE: a deferred one that reads before
 * it writes gets SQLITE_BUSY at once, without the busy timeout, whenever another process
 * holds the write lock even briefly (every transaction in rolplay writes).
 */
export function withStoreErrors(dialect: KyselyDialect, where: StoreWhere): KyselyDialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => new TranslatingDriver(dialect.createDriver(), (error) => toStoreError(error, where), where.dialect),
  };
}

type Translate = (error: unknown) => unknown;

async function guard<T>(translate: Translate, run: () => Promise<T>): Promise<T> {
  try {
    // Awaited inside the try: Kysely's SQLite connection throws synchronously.
    return await run();
  } catch (error) {
    throw translate(error);
  }
}

class TranslatingDriver implements Driver {
  private readonly inner = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(private readonly driver: Driver, private readonly translate: Translate, private readonly dialect: Dialect) {}

  init(): Promise<void> {
    return guard(this.translate, () => this.driver.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await guard(this.translate, () => this.driver.acquireConnection());
    const translate = this.translate;
    const wrapped: DatabaseConnection = {
      executeQuery: <R>(query: CompiledQuery) => guard(translate, () => connection.executeQuery<R>(query)),
      async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
        try {
          yield* connection.streamQuery<R>(query, chunkSize);
        } catch (error) {
          throw translate(error);
        }
      },
    };
    this.inner.set(wrapped, connection);
    return wrapped;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const inner = this.unwrap(connection);
    if (this.dialect === 'sqlite') return guard(this.translate, async () => void (await inner.executeQuery(CompiledQuery.raw('begin immediate'))));
    return guard(this.translate, () => this.driver.beginTransaction(inner, settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(this.translate, () => this.driver.commitTransaction(this.unwrap(connection)));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.driver.rollbackTransaction(this.unwrap(connection));
    } catch (error) {
      // SQLite rolls back by itself after a full disk or an I/O error; the "no transaction is
      // active" that the second rollback gets would otherwise hide the error that caused it.
      if (this.dialect === 'sqlite' && /no transaction is active/i.test(errorMessage(error))) return;
      throw this.translate(error);
    }
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return guard(this.translate, () => this.driver.savepoint!(this.unwrap(connection), name, compile));
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return guard(this.translate, () => this.driver.rollbackToSavepoint!(this.unwrap(connection), name, compile));
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return guard(this.translate, () => this.driver.releaseSavepoint!(this.unwrap(connection), name, compile));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(this.unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }

  private unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.inner.get(connection) ?? connection;
  }
}
