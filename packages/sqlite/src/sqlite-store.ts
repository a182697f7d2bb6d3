import {
  assertValidId,
  assertValidRecord,
  assertValidUserId,
  type CallOptions,
  ConfigurationError,
  CorruptDataError,
  type CreateResult,
  type DeleteByUserOptions,
  type DeleteExpiredOptions,
  deleteInBatches,
  InvalidInputError,
  type IterableStore,
  type IterateOptions,
  resolveClock,
  type SessionRecord,
  type SessionUpdate,
  type StoreCapabilities,
  type StoredSession,
  type StoreError,
  Sweeper,
  type TouchableStore,
  throwIfAborted,
  type UpdateOptions,
  type UpdateResult,
  type UserIndexStore,
} from '@hallpass/core';
import type Database from 'better-sqlite3';
import { toStoreError } from './errors.js';
import { openDatabase } from './open.js';
import { type SessionRow, toSession } from './rows.js';
import { ensureSchema, quoteTable } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';

export interface SqliteStoreOptions {
  /** A file path (its folder is created) or ':memory:', for a database the store opens and closes. */
  filename?: string | undefined;
  /** A better-sqlite3 Database the application owns. The store never closes it. */
  database?: Database.Database | undefined;
  /** Default 'hallpass_sessions'. */
  table?: string | undefined;
  /** Create the table and indexes if missing, at construction. Default true (zero setup). */
  ensureSchema?: boolean | undefined;
  /** Largest accepted session data in bytes; larger writes throw RecordTooLargeError. Default 4 MiB. */
  maxDataBytes?: number | undefined;
  /** How long a write waits for another process's lock, in ms (for files the store opens). Default 5000. */
  busyTimeoutMs?: number | undefined;
  /** How often expired rows are deleted, in ms (plus up to 10% jitter). 0 disables. Default 300 000. */
  cleanupIntervalMs?: number | undefined;
  /** Rows deleted per cleanup statement. Default 250. */
  cleanupBatchSize?: number | undefined;
  /**
   * Called for a row that listByUser or iterate skip because it cannot be read (find rejects
   * with CorruptDataError instead). Default: process.emitWarning.
   */
  onCorruptRow?: ((error: CorruptDataError) => void) | undefined;
  /** Called when a background cleanup fails (the next one retries). Default: ignored. */
  onCleanupError?: ((error: StoreError) => void) | undefined;
  /**
   * The clock every expiry decision reads (bound into each statement as "now"), in epoch
   * milliseconds. Default `Date.now`. Cleanup runs on a real-time timer and deletes the rows
   * this clock says have expired.
   */
  clock?: (() => number) | undefined;
}

// Small pages and batches: each one holds the event loop while it runs (see the README).
const DEFAULT_PAGE_SIZE = 250;
const MIB = 1024 * 1024;

/**
 * A Store in a SQLite file through better-sqlite3: the zero-setup default. Calls are
 * synchronous underneath (well under a millisecond on average, see the README); iteration
 * and cleanup work in pages and yield to the event loop between them.
 */
export class SqliteStore implements IterableStore, UserIndexStore, TouchableStore {
  readonly capabilities: StoreCapabilities = {
    versioned: true,
    iterate: true,
    userIndex: true,
    touch: true,
  };

  readonly #db: Database.Database;
  readonly #ownsDatabase: boolean;
  readonly #table: string;
  readonly #maxDataBytes: number;
  readonly #batchSize: number;
  readonly #onCorruptRow: (error: CorruptDataError) => void;
  readonly #clock: () => number;
  readonly #sweeper: Sweeper | undefined;
  #statements: Statements | undefined;
  #updateTransaction: Database.Transaction<(params: UpdateParams) => UpdateResult> | undefined;
  #closed = false;

  constructor(options: SqliteStoreOptions) {
    const { filename, database } = options;
    if ((filename === undefined) === (database === undefined)) {
      throw new ConfigurationError('pass exactly one of `filename` and `database`');
    }
    this.#table = options.table ?? 'hallpass_sessions';
    this.#clock = resolveClock(options.clock);
    quoteTable(this.#table);
    this.#maxDataBytes = options.maxDataBytes ?? 4 * MIB;
    this.#batchSize = options.cleanupBatchSize ?? 250;
    if (!Number.isSafeInteger(this.#batchSize) || this.#batchSize < 1) {
      throw new ConfigurationError('cleanupBatchSize must be a positive integer');
    }
    this.#onCorruptRow =
      options.onCorruptRow ??
      ((error) => process.emitWarning(error.message, { code: 'HALLPASS_CORRUPT_ROW' }));

    this.#ownsDatabase = database === undefined;
    try {
      this.#db = database ?? openDatabase(filename as string, options.busyTimeoutMs ?? 5_000);
    } catch (error) {
      // A folder that cannot be created, a file that is not a database, a locked file...
      throw toStoreError(error, 'open');
    }
    if (options.ensureSchema ?? true) {
      try {
        ensureSchema(this.#db, this.#table);
      } catch (error) {
        if (this.#ownsDatabase) this.#db.close();
        throw toStoreError(error, 'ensureSchema');
      }
    }

    const interval = options.cleanupIntervalMs ?? 300_000;
    if (interval > 0) {
      const onError = options.onCleanupError ?? (() => {});
      this.#sweeper = new Sweeper(
        (signal) => this.deleteExpired({ signal }),
        interval,
        (error) => onError(toStoreError(error, 'cleanup')),
      );
    }
  }

  /** The table every statement names (unquoted). */
  get tableName(): string {
    return this.#table;
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    const row = this.#run('find', options, (sql) => {
      assertValidId(id);
      return sql.find.get(id, this.#clock()) as SessionRow | undefined;
    });
    if (!row) return null;
    // An unreadable row is the caller's to report: the SessionManager turns this error into
    // "no session" plus an `error` event and a `rejected` event with reason corrupt-data.
    const session = toSession(row);
    if (session instanceof CorruptDataError) throw session;
    return session;
  }

  async create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    return this.#run('create', options, (sql) => {
      assertValidId(id);
      assertValidRecord(record, { maxDataBytes: this.#maxDataBytes });
      const now = this.#clock();
      if (record.expiresAt <= now) {
        // Already expired: persist nothing, but still report a live session holding the id.
        return sql.exists.get(id, now) ? EXISTS : { ok: true, version: 1 };
      }
      const version = sql.create.get({
        id,
        data: bytes(record.data),
        expiresAt: record.expiresAt,
        userId: record.userId,
        createdAt: record.createdAt,
        lastSeenAt: record.lastSeenAt,
        now,
      }) as number | undefined;
      return version === undefined ? EXISTS : { ok: true, version };
    });
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    return this.#run('update', options, (sql) => {
      assertValidId(id);
      assertValidRecord(changes, { maxDataBytes: this.#maxDataBytes });
      const params: UpdateParams = {
        id,
        data: bytes(changes.data),
        expiresAt: changes.expiresAt,
        userId: changes.userId,
        lastSeenAt: changes.lastSeenAt,
        now: this.#clock(),
        expected: options?.expectedVersion ?? null,
      };
      // The usual case is one statement, atomic on its own: no transaction around it.
      const version = this.#write(sql, params);
      if (version !== undefined) return { ok: true, version };
      // Refused: try again and read why in one IMMEDIATE transaction, so another process cannot
      // slip in between and turn a "conflict" into a "missing" or the reverse. (A write that
      // applies on this second try is the same as the call arriving a moment later.)
      this.#updateTransaction ??= this.#db.transaction((p: UpdateParams): UpdateResult => {
        const retried = this.#write(sql, p);
        if (retried !== undefined) return { ok: true, version: retried };
        const live = sql.liveVersion.get(p.id, p.now);
        return live !== undefined && p.expected !== null ? CONFLICT : MISSING;
      });
      return this.#updateTransaction.immediate(params);
    });
  }

  /** The compare-and-set write (or removal, for an expiry in the past): the new version or undefined. */
  #write(sql: Statements, params: UpdateParams): number | undefined {
    const statement = params.expiresAt > params.now ? sql.update : sql.updateToExpired;
    return statement.get(params) as number | undefined;
  }

  async touch(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    return this.#run('touch', options, (sql) => {
      assertValidId(id);
      if (!Number.isFinite(expiresAt) || !Number.isFinite(lastSeenAt)) {
        throw new InvalidInputError('expiresAt and lastSeenAt must be finite epoch milliseconds');
      }
      const now = this.#clock();
      const result =
        expiresAt > now
          ? sql.touch.run({ id, expiresAt, lastSeenAt, now })
          : sql.touchToExpired.run({ id, now });
      return result.changes > 0;
    });
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    this.#run('delete', options, (sql) => {
      assertValidId(id);
      sql.delete.run(id);
    });
  }

  async *iterate(options?: IterateOptions): AsyncIterable<StoredSession> {
    const pageSize = options?.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
      throw new InvalidInputError('pageSize must be a positive integer');
    }
    const signal = options?.signal;
    // Keyset pagination: each page starts after the last id of the previous one, so rows
    // deleted or created meanwhile never shift the pages and none is yielded twice.
    let after = '';
    for (;;) {
      const rows = this.#run('iterate', { signal }, (sql) => {
        return sql.page.all(after, this.#clock(), pageSize) as SessionRow[];
      });
      for (const row of rows) {
        throwIfAborted(signal);
        const session = this.#readable(row);
        if (session) yield session;
      }
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = last.id;
      // Let requests in between pages: a big table never blocks the event loop for long.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    const rows = this.#run('listByUser', options, (sql) => {
      assertValidUserId(userId);
      return sql.listByUser.all(userId, this.#clock()) as SessionRow[];
    });
    return rows.flatMap((row) => this.#readable(row) ?? []);
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    return this.#run('deleteByUser', options, (sql) => {
      assertValidUserId(userId);
      const except = options?.except ?? null;
      if (except !== null) assertValidId(except);
      const now = this.#clock();
      const expiries = sql.deleteByUser.all(userId, except, except) as number[];
      return expiries.filter((expiresAt) => expiresAt > now).length;
    });
  }

  /**
   * Deletes expired rows in bounded batches, yielding to the event loop between them; returns
   * how many. The background cleanup calls it; call it from a cron job with `cleanupIntervalMs: 0`.
   */
  async deleteExpired(options: DeleteExpiredOptions = {}): Promise<number> {
    const batchSize = options.batchSize ?? this.#batchSize;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new InvalidInputError('batchSize must be a positive integer');
    }
    return deleteInBatches(
      async (limit) =>
        this.#run('deleteExpired', undefined, (sql) => sql.deleteExpired.run(this.#clock(), limit))
          .changes,
      batchSize,
      options.signal,
    );
  }

  /** Stops the cleanup timer and closes the database if the store opened it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#sweeper?.stop();
    if (this.#ownsDatabase) this.#db.close();
  }

  /** Runs one synchronous database step, mapping every failure to a StoreError. */
  #run<T>(operation: string, options: CallOptions | undefined, step: (sql: Statements) => T): T {
    throwIfAborted(options?.signal);
    try {
      this.#statements ??= prepareStatements(this.#db, quoteTable(this.#table));
      return step(this.#statements);
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  /** A listed or iterated row, or null (reported to onCorruptRow) when it cannot be read. */
  #readable(row: SessionRow): StoredSession | null {
    const session = toSession(row);
    if (!(session instanceof CorruptDataError)) return session;
    try {
      this.#onCorruptRow(session);
    } catch {
      // A throwing reporter must not fail the whole listing.
    }
    return null;
  }
}

interface UpdateParams {
  id: string;
  data: Buffer;
  expiresAt: number;
  userId: string | null;
  lastSeenAt: number;
  now: number;
  expected: number | null;
}

const EXISTS: CreateResult = { ok: false, reason: 'exists' };
const CONFLICT: UpdateResult = { ok: false, reason: 'conflict' };
const MISSING: UpdateResult = { ok: false, reason: 'missing' };

/** A Buffer view of the caller's bytes; better-sqlite3 copies them while the statement runs. */
function bytes(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
