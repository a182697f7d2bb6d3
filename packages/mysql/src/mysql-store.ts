import {
  abortable,
  assertValidId,
  assertValidRecord,
  assertValidTouch,
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
import mysql from 'mysql2/promise';
import { endPool } from './end-pool.js';
import { toStoreError } from './errors.js';
import { type TableNames, tableNames } from './identifiers.js';
import { rowId, type SessionRow, toSession } from './rows.js';
import { ensureSchema } from './schema.js';
import { buildStatements, type Statements } from './statements.js';

export interface MysqlStoreOptions {
  /** A mysql2 promise pool the application owns. The store never ends it. */
  pool?: mysql.Pool | undefined;
  /** `mysql://user:password@host:port/database` for a pool the store creates, owns and ends on close(). */
  uri?: string | undefined;
  /** Extra settings for the pool the store creates (ignored with `pool`). */
  poolOptions?: mysql.PoolOptions | undefined;
  /** Default 'hallpass_sessions'. */
  table?: string | undefined;
  /** The database (schema) holding the table. Default: the connection's database. */
  database?: string | undefined;
  /** Create the table and indexes if missing, before the first query. Default false. */
  ensureSchema?: boolean | undefined;
  /** Largest accepted session data in bytes; larger writes throw RecordTooLargeError. Default 4 MiB. */
  maxDataBytes?: number | undefined;
  /** How long one statement may take before the call fails (mysql2's `timeout`), in ms. Default 15 000. */
  queryTimeoutMs?: number | undefined;
  /** How often expired rows are deleted, in ms (plus up to 10% jitter). 0 disables. Default 300 000. */
  cleanupIntervalMs?: number | undefined;
  /** Rows deleted per cleanup statement. Default 1000. */
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

const DEFAULT_PAGE_SIZE = 1000;
const MIB = 1024 * 1024;
/** The range of a JavaScript Date: times outside it are bad input, not something to store. */
const MAX_TIME_MS = 8.64e15;

/** Settings for pools the store creates: fail fast when the server is away, never hang. */
const POOL_DEFAULTS: mysql.PoolOptions = {
  connectionLimit: 10,
  maxIdle: 10,
  idleTimeout: 30_000,
  connectTimeout: 5_000,
  enableKeepAlive: true,
  waitForConnections: true,
  charset: 'utf8mb4',
};

type Header = mysql.ResultSetHeader;

/**
 * A Store on MySQL or MariaDB through `mysql2`. Every write is a single statement, so
 * concurrent requests and processes can share the table without read-then-write races.
 */
export class MysqlStore implements IterableStore, UserIndexStore, TouchableStore {
  readonly capabilities: StoreCapabilities = {
    versioned: true,
    iterate: true,
    userIndex: true,
    touch: true,
  };

  readonly #pool: mysql.Pool;
  readonly #ownsPool: boolean;
  readonly #names: TableNames;
  readonly #sql: Statements;
  readonly #ensureSchema: boolean;
  readonly #maxDataBytes: number;
  readonly #queryTimeoutMs: number;
  readonly #batchSize: number;
  readonly #onCorruptRow: (error: CorruptDataError) => void;
  readonly #clock: () => number;
  readonly #sweeper: Sweeper | undefined;
  #schemaReady: Promise<void> | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: MysqlStoreOptions) {
    const { pool, uri, poolOptions } = options;
    this.#clock = resolveClock(options.clock);
    if (pool && (uri !== undefined || poolOptions !== undefined)) {
      throw new ConfigurationError('pass either `pool` or `uri`/`poolOptions`, not both');
    }
    if (!pool && uri === undefined && poolOptions === undefined) {
      throw new ConfigurationError('pass `pool` or `uri`');
    }
    if (pool && typeof (pool as { getConnection?: unknown }).getConnection !== 'function') {
      throw new ConfigurationError(
        '`pool` must be a mysql2 promise pool (mysql2/promise createPool)',
      );
    }
    this.#names = tableNames(options.table ?? 'hallpass_sessions', options.database);
    this.#sql = buildStatements(this.#names);
    this.#ensureSchema = options.ensureSchema ?? false;
    this.#maxDataBytes = options.maxDataBytes ?? 4 * MIB;
    this.#queryTimeoutMs = options.queryTimeoutMs ?? 15_000;
    this.#batchSize = options.cleanupBatchSize ?? 1000;
    if (!Number.isSafeInteger(this.#batchSize) || this.#batchSize < 1) {
      throw new ConfigurationError('cleanupBatchSize must be a positive integer');
    }
    if (!Number.isSafeInteger(this.#queryTimeoutMs) || this.#queryTimeoutMs < 1) {
      throw new ConfigurationError('queryTimeoutMs must be a positive integer');
    }
    this.#onCorruptRow =
      options.onCorruptRow ??
      ((error) => process.emitWarning(error.message, { code: 'HALLPASS_CORRUPT_ROW' }));

    this.#ownsPool = !pool;
    this.#pool =
      pool ??
      mysql.createPool({
        ...POOL_DEFAULTS,
        ...poolOptions,
        ...(uri === undefined ? {} : { uri }),
      });

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

  /** `` `table` `` or `` `database`.`table` ``, as every statement names it. */
  get tableName(): string {
    return this.#names.qualified;
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    assertValidId(id);
    const rows = await this.#select('find', [id, this.#now()], options);
    if (!rows[0]) return null;
    // An unreadable row is the caller's to report: the SessionManager turns this error into
    // "no session" plus an `error` event and a `rejected` event with reason corrupt-data.
    const session = toSession(rows[0]);
    if (session instanceof CorruptDataError) throw session;
    return session;
  }

  async create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    assertValidId(id);
    assertValidRecord(record, { maxDataBytes: this.#maxDataBytes });
    const expiresAt = time(record.expiresAt, 'expiresAt');
    const createdAt = time(record.createdAt, 'createdAt');
    const lastSeenAt = time(record.lastSeenAt, 'lastSeenAt');
    const now = this.#now();
    if (expiresAt <= now) {
      // Already expired: persist nothing, but still report a live session holding the id.
      const rows = await this.#select('liveVersion', [id, now], options);
      return rows.length > 0 ? { ok: false, reason: 'exists' } : { ok: true, version: 1 };
    }
    const data = Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength);
    const { userId } = record;
    const { insertId } = await this.#write(
      'create',
      [
        id,
        data,
        expiresAt,
        userId,
        createdAt,
        lastSeenAt,
        now,
        ...[data, userId, createdAt, lastSeenAt, expiresAt].flatMap((value) => [now, value]),
      ],
      options,
    );
    return insertId > 0 ? { ok: true, version: insertId } : { ok: false, reason: 'exists' };
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    assertValidId(id);
    assertValidRecord(changes, { maxDataBytes: this.#maxDataBytes });
    const expiresAt = time(changes.expiresAt, 'expiresAt');
    const lastSeenAt = time(changes.lastSeenAt, 'lastSeenAt');
    const now = this.#now();
    const expected = options?.expectedVersion ?? null;
    let written: number;
    if (expiresAt > now) {
      const data = Buffer.from(
        changes.data.buffer,
        changes.data.byteOffset,
        changes.data.byteLength,
      );
      ({ insertId: written } = await this.#write(
        'update',
        [data, expiresAt, changes.userId, lastSeenAt, id, now, expected, expected],
        options,
      ));
    } else {
      // An update to a past expiry is a removal: the compare-and-set marks the row expired
      // (invisible from then on), then the row is reclaimed. Should the second statement
      // fail, the expired row is cleanup's to delete; the session is gone either way.
      ({ insertId: written } = await this.#write('expire', [id, now, expected, expected], options));
      if (written > 0) await this.#write('removeExpired', [id, written], options);
    }
    if (written > 0) return { ok: true, version: written };
    // A write that did not apply lost a compare-and-set or found no live session. Which one
    // is read afterwards; a session removed in the instant between reads as missing, which
    // the caller's retry would see anyway.
    if (expected === null) return { ok: false, reason: 'missing' };
    const live = await this.#select('liveVersion', [id, now], options);
    return live.length > 0 ? { ok: false, reason: 'conflict' } : { ok: false, reason: 'missing' };
  }

  async touch(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    assertValidTouch(id, expiresAt, lastSeenAt);
    const expiry = time(expiresAt, 'expiresAt');
    const seen = time(lastSeenAt, 'lastSeenAt');
    const now = this.#now();
    if (expiry > now) {
      const { insertId } = await this.#write('touch', [expiry, seen, id, now], options);
      return insertId > 0;
    }
    const { affectedRows } = await this.#write('touchToExpired', [id, now], options);
    return affectedRows > 0;
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    assertValidId(id);
    await this.#write('delete', [id], options);
  }

  async *iterate(options?: IterateOptions): AsyncIterable<StoredSession> {
    const pageSize = positiveInteger(options?.pageSize ?? DEFAULT_PAGE_SIZE, 'pageSize');
    const signal = options?.signal;
    // Keyset pagination: each page starts after the last id of the previous one, so sessions
    // deleted or created meanwhile never shift the pages and none is yielded twice.
    let after = '';
    for (;;) {
      const rows = await this.#select('page', [after, this.#now(), pageSize], { signal });
      for (const row of rows) {
        throwIfAborted(signal);
        const session = this.#readable(row);
        if (session) yield session;
      }
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = rowId(last);
    }
  }

  async listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    assertValidUserId(userId);
    const rows = await this.#select('listByUser', [userId, this.#now()], options);
    return rows.flatMap((row) => this.#readable(row) ?? []);
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    assertValidUserId(userId);
    const except = options?.except ?? null;
    if (except !== null) assertValidId(except);
    const { affectedRows } = await this.#write(
      'deleteByUser',
      [userId, except, except, this.#now()],
      options,
    );
    return affectedRows;
  }

  /**
   * Deletes expired rows in bounded batches; returns how many. The background cleanup calls
   * it; call it from a cron job instead with `cleanupIntervalMs: 0`.
   */
  async deleteExpired(options: DeleteExpiredOptions = {}): Promise<number> {
    const batchSize = positiveInteger(options.batchSize ?? this.#batchSize, 'batchSize');
    return deleteInBatches(
      async (limit) => (await this.#write('deleteExpired', [this.#now(), limit])).affectedRows,
      batchSize,
      options.signal,
    );
  }

  /** Creates the table and indexes if missing (what `ensureSchema: true` does lazily). */
  async ensureSchema(): Promise<void> {
    try {
      await ensureSchema(this.#pool, this.#names);
    } catch (error) {
      throw toStoreError(error, 'ensureSchema');
    }
  }

  /**
   * Stops the cleanup timer and ends the pool if the store created it (within a few seconds,
   * also when the server stopped answering). Idempotent.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#sweeper?.stop();
      if (this.#ownsPool) await endPool(this.#pool);
    })();
    return this.#closed;
  }

  #now(): number {
    return this.#clock();
  }

  #select(
    statement: keyof Statements,
    values: unknown[],
    options?: CallOptions,
  ): Promise<SessionRow[]> {
    return this.#query(statement, values, options) as Promise<SessionRow[]>;
  }

  #write(statement: keyof Statements, values: unknown[], options?: CallOptions): Promise<Header> {
    return this.#query(statement, values, options) as Promise<Header>;
  }

  async #query(
    statement: keyof Statements,
    values: unknown[],
    options?: CallOptions,
  ): Promise<unknown> {
    const signal = options?.signal;
    throwIfAborted(signal);
    try {
      await abortable(this.#ready() ?? Promise.resolve(), signal);
      // The text protocol (query, not execute): values are escaped by mysql2, and LIMIT ?
      // needs no server-side prepared statement (whose integer binding MySQL 8 rejects).
      const query = this.#pool.query({
        sql: this.#sql[statement],
        values,
        timeout: this.#queryTimeoutMs,
      });
      const [result] = await abortable(query, signal);
      return result;
    } catch (error) {
      throw toStoreError(error, statement);
    }
  }

  /** Runs ensureSchema once when enabled; a failure is retried by the next call. */
  #ready(): Promise<void> | undefined {
    if (!this.#ensureSchema) return undefined;
    this.#schemaReady ??= this.ensureSchema().catch((error: unknown) => {
      this.#schemaReady = undefined;
      throw error;
    });
    return this.#schemaReady;
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

/** A time as whole epoch milliseconds within a Date's range (the BIGINT columns hold ms). */
function time(value: number, what: string): number {
  if (Math.abs(value) > MAX_TIME_MS) {
    throw new InvalidInputError(`${what} is outside the range of a Date`);
  }
  return Math.round(value);
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidInputError(`${what} must be a positive integer`);
  }
  return value;
}
