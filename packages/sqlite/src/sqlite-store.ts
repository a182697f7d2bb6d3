import {
  type CleanupOptions,
  type CommonStoreOptions,
  type CreateResult,
  type RowRecord,
  type RowUpdate,
  type SqlSelect,
  type SqlSessionRow,
  SqlStore,
  type StoreCall,
  toStoreError,
  type UpdateResult,
  type WriteCall,
} from '@hallpass/core/store';
import type Database from 'better-sqlite3';
import { classifySqliteError } from './errors.js';
import { connection } from './open.js';
import { ensureSchema, quoteTable } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';

export interface SqliteStoreOptions extends CommonStoreOptions, CleanupOptions {
  /** A file path (its folder is created) or ':memory:', for a database the store opens and closes. */
  filename?: string | undefined;
  /** A better-sqlite3 Database the application owns. The store never closes it. */
  database?: Database.Database | undefined;
  /** Default 'hallpass_sessions'. */
  table?: string | undefined;
  /** Create the table and indexes if missing, at construction. Default true (zero setup). */
  ensureSchema?: boolean | undefined;
  /** How long a write waits for another process's lock, in ms (for files the store opens). Default 5000. */
  busyTimeoutMs?: number | undefined;
}

const MIB = 1024 * 1024;

/**
 * A Store in a SQLite file through better-sqlite3: the zero-setup default. Calls are
 * synchronous underneath (well under a millisecond on average, see the README); iteration
 * and cleanup work in small pages (250 rows) and yield to the event loop between them.
 * Defaults: maxDataBytes 4 MiB, cleanupIntervalMs 300 000, cleanupBatchSize 250.
 */
export class SqliteStore extends SqlStore {
  readonly #db: Database.Database;
  readonly #ownsDatabase: boolean;
  readonly #table: string;
  #statements: Statements | undefined;
  #updateTransaction: Database.Transaction<(params: CasParams) => UpdateResult> | undefined;

  constructor(options: SqliteStoreOptions) {
    const database = connection(options);
    const table = options.table ?? 'hallpass_sessions';
    // Stryker disable next-line all: the table option is checked when the store is built, SQLite's own option (packages/sqlite/test)
    quoteTable(table);
    super({
      ...options,
      name: 'sqlite',
      classifyError: classifySqliteError,
      // Small pages and batches: each one holds the event loop while it runs (see the README).
      defaultPageSize: 250,
      defaultCleanupBatchSize: 250,
      defaultMaxDataBytes: 4 * MIB,
      // better-sqlite3 copies every BLOB it returns into a new Buffer.
      // Stryker disable next-line BooleanLiteral: equivalent, a copy of bytes nothing else holds
      freshRowData: true,
    });
    this.#table = table;
    this.#ownsDatabase = database.owned;
    // Stryker disable next-line StringLiteral: the call named in a construction error, SQLite's own (packages/sqlite/test)
    this.#db = this.#setUp('open', database.open);
    if (options.ensureSchema ?? true)
      // Stryker disable next-line StringLiteral: the call named in a construction error, SQLite's own (packages/sqlite/test)
      this.#setUp('ensureSchema', () => ensureSchema(this.#db, table));
  }

  /** The table every statement names (unquoted). */
  get tableName(): string {
    return this.#table;
  }

  protected insertRow(id: string, record: RowRecord, call: StoreCall): CreateResult {
    const version = this.#sql.create.get({ ...record, id, now: call.now }) as number | undefined;
    return version === undefined ? { ok: false, reason: 'exists' } : { ok: true, version };
  }

  protected updateRow(id: string, changes: RowUpdate, call: WriteCall): UpdateResult {
    return this.#compareAndSet('update', { ...changes, id, ...this.#cas(call) });
  }

  protected expireRow(id: string, call: WriteCall): UpdateResult {
    return this.#compareAndSet('updateToExpired', { id, ...this.#cas(call) });
  }

  protected override touchRow(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    call: StoreCall,
  ): boolean {
    return this.#sql.touch.run({ id, expiresAt, lastSeenAt, now: call.now }).changes > 0;
  }

  protected override deleteUserRows(
    userId: string,
    except: string | undefined,
    call: StoreCall,
  ): number {
    const expiries = this.#sql.deleteByUser.all(userId, except ?? null, except ?? null) as number[];
    return expiries.filter((expiresAt) => expiresAt > call.now).length;
  }

  // better-sqlite3 answers synchronously: the primitives return values, not promises (the kit
  // takes either), which saves a promise per call on the read path.
  protected select(statement: SqlSelect, values: unknown[]) {
    return this.#sql[statement].all(...values) as SqlSessionRow[];
  }

  // A find matches one primary key: get() stops at that row, where all() steps the statement
  // once more to learn it is done (measured: that step doubled a find on a WAL file).
  protected override selectRow(statement: 'find', values: unknown[]) {
    return this.#sql[statement].get(...values) as SqlSessionRow | undefined;
  }

  protected execute(statement: 'delete' | 'deleteExpired', values: unknown[]) {
    return this.#sql[statement].run(...values).changes;
  }

  // Stryker disable all: which database close() closes (its own, never the application's) is SQLite's own option (packages/sqlite/test)
  protected override async closeBackend(): Promise<void> {
    if (this.#ownsDatabase) this.#db?.close();
  }
  // Stryker restore all

  /** Statements are prepared on first use, so a missing table is the call's error, not the constructor's. */
  get #sql(): Statements {
    this.#statements ??= prepareStatements(this.#db, quoteTable(this.#table));
    return this.#statements;
  }

  // Stryker disable all: a store that cannot be built (a file that is no database) is SQLite's own concern (packages/sqlite/test)
  /** A construction step; on failure the store is closed again and the error mapped. */
  #setUp<T>(operation: string, step: () => T): T {
    try {
      return step();
    } catch (error) {
      void this.close();
      throw toStoreError(error, { store: 'sqlite', operation, classify: classifySqliteError });
    }
  }
  // Stryker restore all

  #cas(call: WriteCall) {
    return { now: call.now, expected: call.expectedVersion ?? null };
  }

  /**
   * The usual case is one statement, atomic on its own: no transaction around it. When it is
   * refused, it is tried again and the reason read in one IMMEDIATE transaction, so another
   * process cannot slip in between and turn a "conflict" into a "missing" or the reverse.
   */
  #compareAndSet(statement: CasParams['statement'], values: CasValues): UpdateResult {
    const params: CasParams = { ...values, statement };
    const write = (p: CasParams) => this.#sql[p.statement].get(p) as number | undefined;
    const version = write(params);
    if (version !== undefined) return { ok: true, version };
    this.#updateTransaction ??= this.#db.transaction((p: CasParams): UpdateResult => {
      const retried = write(p);
      // Stryker disable next-line all: reached only when another connection writes between the two statements; in one process better-sqlite3 runs them back to back ("two stores on one file" in packages/sqlite/test)
      if (retried !== undefined) return { ok: true, version: retried };
      const live = this.#sql.liveVersion.get(p.id, p.now);
      // Stryker disable next-line ConditionalExpression: reached only when another connection writes between the two statements; in one process better-sqlite3 runs them back to back ("two stores on one file" in packages/sqlite/test)
      return live !== undefined && p.expected !== null
        ? { ok: false, reason: 'conflict' }
        : { ok: false, reason: 'missing' };
    });
    return this.#updateTransaction.immediate(params);
  }
}

/** The compare-and-set: the row, the call's "now" and the expected version; then the new values. */
type CasValues = { id: string; now: number; expected: number | null } & Record<string, unknown>;
type CasParams = CasValues & { statement: 'update' | 'updateToExpired' };
