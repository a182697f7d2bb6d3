import { createHash } from 'node:crypto';
import {
  abortable,
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
import pg from 'pg';
import { toStoreError } from './errors.js';
import { type TableNames, tableNames } from './identifiers.js';
import { type SessionRow, toSession } from './rows.js';
import { ensureSchema } from './schema.js';
import { buildStatements, type Statements } from './statements.js';

export interface PostgresStoreOptions {
  /** A pool the application owns. The store never ends it (see the README on its 'error' event). */
  pool?: pg.Pool | undefined;
  /** Connection string for a pool the store creates, owns and ends on close(). */
  connectionString?: string | undefined;
  /** Extra settings for the pool the store creates (ignored with `pool`). */
  poolConfig?: pg.PoolConfig | undefined;
  /** Default 'public'. */
  schema?: string | undefined;
  /** Default 'hallpass_sessions'. */
  table?: string | undefined;
  /** Create the schema, table and indexes if missing, before the first query. Default false. */
  ensureSchema?: boolean | undefined;
  /** Largest accepted session data in bytes; larger writes throw RecordTooLargeError. Default 4 MiB. */
  maxDataBytes?: number | undefined;
  /** How often expired rows are deleted, in ms (plus up to 10% jitter). 0 disables. Default 300 000. */
  cleanupIntervalMs?: number | undefined;
  /** Rows deleted per cleanup statement. Default 1000. */
  cleanupBatchSize?: number | undefined;
  /**
   * Use named (server-side prepared) statements. Turn off behind PgBouncer < 1.21 in
   * transaction mode. Default true.
   */
  preparedStatements?: boolean | undefined;
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

/** Settings for pools the store creates: fail fast when the server is away, never hang. */
const POOL_DEFAULTS: pg.PoolConfig = {
  max: 10,
  connectionTimeoutMillis: 5_000,
  idleTimeoutMillis: 30_000,
  statement_timeout: 10_000,
  query_timeout: 15_000,
  keepAlive: true,
};

/**
 * A Store on PostgreSQL through `pg`. Every operation is a single statement, so concurrent
 * requests and processes can share the table without read-then-write races.
 */
export class PostgresStore implements IterableStore, UserIndexStore, TouchableStore {
  readonly capabilities: StoreCapabilities = {
    versioned: true,
    iterate: true,
    userIndex: true,
    touch: true,
  };

  readonly #pool: pg.Pool;
  readonly #ownsPool: boolean;
  readonly #names: TableNames;
  readonly #sql: Statements;
  readonly #statementNames: Map<string, string> | undefined;
  readonly #ensureSchema: boolean;
  readonly #maxDataBytes: number;
  readonly #batchSize: number;
  readonly #onCorruptRow: (error: CorruptDataError) => void;
  readonly #clock: () => number;
  readonly #sweeper: Sweeper | undefined;
  #schemaReady: Promise<void> | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: PostgresStoreOptions) {
    const { pool, connectionString, poolConfig } = options;
    if (pool && (connectionString !== undefined || poolConfig !== undefined)) {
      throw new ConfigurationError(
        'pass either `pool` or `connectionString`/`poolConfig`, not both',
      );
    }
    if (!pool && connectionString === undefined && poolConfig === undefined) {
      throw new ConfigurationError('pass `pool` or `connectionString`');
    }
    this.#names = tableNames(options.schema ?? 'public', options.table ?? 'hallpass_sessions');
    this.#sql = buildStatements(this.#names);
    this.#statementNames =
      options.preparedStatements === false ? undefined : nameStatements(this.#sql);
    this.#ensureSchema = options.ensureSchema ?? false;
    this.#clock = resolveClock(options.clock);
    this.#maxDataBytes = options.maxDataBytes ?? 4 * MIB;
    this.#batchSize = options.cleanupBatchSize ?? 1000;
    if (!Number.isSafeInteger(this.#batchSize) || this.#batchSize < 1) {
      throw new ConfigurationError('cleanupBatchSize must be a positive integer');
    }
    this.#onCorruptRow =
      options.onCorruptRow ??
      ((error) => process.emitWarning(error.message, { code: 'HALLPASS_CORRUPT_ROW' }));

    this.#ownsPool = !pool;
    this.#pool =
      pool ??
      new pg.Pool({
        ...POOL_DEFAULTS,
        ...poolConfig,
        connectionString: connectionString ?? poolConfig?.connectionString,
      });
    // An idle client whose server went away makes the pool emit 'error'; without a listener
    // that would crash the process. The pool discards the client and reconnects on demand.
    if (this.#ownsPool) this.#pool.on('error', () => {});

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

  /** `"schema"."table"`, as every statement names it. */
  get tableName(): string {
    return this.#names.qualified;
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    assertValidId(id);
    const { rows } = await this.#query<SessionRow>('find', [id, this.#clock()], options);
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
    const now = this.#clock();
    if (record.expiresAt <= now) {
      // Already expired: persist nothing, but still report a live session holding the id.
      const { rows } = await this.#query('exists', [id, now], options);
      return rows.length > 0 ? { ok: false, reason: 'exists' } : { ok: true, version: 1 };
    }
    const { data, expiresAt, userId, createdAt, lastSeenAt } = record;
    const { rows } = await this.#query<{ version: string }>(
      'create',
      [id, Buffer.from(data), expiresAt, userId, createdAt, lastSeenAt, now],
      options,
    );
    return rows[0]
      ? { ok: true, version: Number(rows[0].version) }
      : { ok: false, reason: 'exists' };
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    assertValidId(id);
    assertValidRecord(changes, { maxDataBytes: this.#maxDataBytes });
    const now = this.#clock();
    const expected = options?.expectedVersion ?? null;
    const { data, expiresAt, userId, lastSeenAt } = changes;
    const { rows } =
      expiresAt > now
        ? await this.#query<CasRow>(
            'update',
            [id, Buffer.from(data), expiresAt, userId, lastSeenAt, now, expected],
            options,
          )
        : await this.#query<CasRow>('updateToExpired', [id, now, expected], options);
    const { written, current } = rows[0] ?? { written: null, current: null };
    if (written !== null) return { ok: true, version: Number(written) };
    // A live row that did not take the write lost a compare-and-set (or was removed in the
    // instant between; the caller's retry then sees it missing).
    if (current !== null && expected !== null) return { ok: false, reason: 'conflict' };
    return { ok: false, reason: 'missing' };
  }

  async touch(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    assertValidId(id);
    if (!Number.isFinite(expiresAt) || !Number.isFinite(lastSeenAt)) {
      throw new InvalidInputError('expiresAt and lastSeenAt must be finite epoch milliseconds');
    }
    const now = this.#clock();
    const { rowCount } =
      expiresAt > now
        ? await this.#query('touch', [id, expiresAt, lastSeenAt, now], options)
        : await this.#query('touchToExpired', [id, now], options);
    return (rowCount ?? 0) > 0;
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    assertValidId(id);
    await this.#query('delete', [id], options);
  }

  async *iterate(options?: IterateOptions): AsyncIterable<StoredSession> {
    const pageSize = positiveInteger(options?.pageSize ?? DEFAULT_PAGE_SIZE, 'pageSize');
    const signal = options?.signal;
    // Keyset pagination: each page starts after the last id of the previous one, so sessions
    // deleted or created meanwhile never shift the pages and none is yielded twice.
    let after = '';
    for (;;) {
      const { rows } = await this.#query<SessionRow>('page', [after, this.#clock(), pageSize], {
        signal,
      });
      for (const row of rows) {
        throwIfAborted(signal);
        const session = this.#readable(row);
        if (session) yield session;
      }
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = last.id;
    }
  }

  async listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    assertValidUserId(userId);
    const { rows } = await this.#query<SessionRow>('listByUser', [userId, this.#clock()], options);
    return rows.flatMap((row) => this.#readable(row) ?? []);
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    assertValidUserId(userId);
    const except = options?.except ?? null;
    if (except !== null) assertValidId(except);
    const { rows } = await this.#query<{ live: number }>(
      'deleteByUser',
      [userId, except, this.#clock()],
      options,
    );
    return rows[0]?.live ?? 0;
  }

  /**
   * Deletes expired rows in bounded batches; returns how many. The background cleanup calls
   * it; call it from a cron job instead with `cleanupIntervalMs: 0`.
   */
  async deleteExpired(options: DeleteExpiredOptions = {}): Promise<number> {
    const batchSize = positiveInteger(options.batchSize ?? this.#batchSize, 'batchSize');
    return deleteInBatches(
      async (limit) => {
        const { rowCount } = await this.#query('deleteExpired', [this.#clock(), limit]);
        return rowCount ?? 0;
      },
      batchSize,
      options.signal,
    );
  }

  /** Creates the schema, table and indexes if missing (what `ensureSchema: true` does lazily). */
  async ensureSchema(): Promise<void> {
    try {
      await ensureSchema(this.#pool, this.#names);
    } catch (error) {
      throw toStoreError(error, 'ensureSchema');
    }
  }

  /** Stops the cleanup timer and ends the pool if the store created it. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#sweeper?.stop();
      if (this.#ownsPool) await this.#pool.end();
    })();
    return this.#closed;
  }

  async #query<R extends object = object>(
    statement: keyof Statements,
    values: unknown[],
    options?: CallOptions,
  ): Promise<pg.QueryResult<R>> {
    const signal = options?.signal;
    throwIfAborted(signal);
    try {
      await abortable(this.#ready() ?? Promise.resolve(), signal);
      const query = this.#pool.query<R>({
        text: this.#sql[statement],
        values,
        name: this.#statementNames?.get(statement),
      });
      return await abortable(query, signal);
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

interface CasRow {
  written: string | null;
  current: string | null;
}

/** Statement names unique to their text, so stores on different tables can share a pool. */
function nameStatements(sql: Statements): Map<string, string> {
  return new Map(
    Object.entries(sql).map(([key, text]) => [
      key,
      `hallpass_${key}_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`,
    ]),
  );
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidInputError(`${what} must be a positive integer`);
  }
  return value;
}
