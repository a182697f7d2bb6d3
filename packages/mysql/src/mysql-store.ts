import {
  abortable,
  type CleanupOptions,
  type CommonStoreOptions,
  ConfigurationError,
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
import mysql from 'mysql2/promise';
import { endPool } from './end-pool.js';
import { classifyMysqlError } from './errors.js';
import { type TableNames, tableNames } from './identifiers.js';
import { ensureSchema } from './schema.js';
import { buildStatements, type Statements } from './statements.js';

export interface MysqlStoreOptions extends CommonStoreOptions, CleanupOptions {
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
  /** How long one statement may take before the call fails (mysql2's `timeout`), in ms. Default 15 000. */
  queryTimeoutMs?: number | undefined;
}

const MIB = 1024 * 1024;

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
 * Defaults: maxDataBytes 4 MiB, cleanupIntervalMs 300 000, cleanupBatchSize 1000.
 */
export class MysqlStore extends SqlStore {
  readonly #pool: mysql.Pool;
  readonly #ownsPool: boolean;
  readonly #names: TableNames;
  readonly #sql: Statements;
  readonly #ensureSchema: boolean;
  readonly #queryTimeoutMs: number;
  #schemaReady: Promise<void> | undefined;

  constructor(options: MysqlStoreOptions) {
    const { pool, uri, poolOptions } = options;
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
    const queryTimeoutMs = options.queryTimeoutMs ?? 15_000;
    if (!Number.isSafeInteger(queryTimeoutMs) || queryTimeoutMs < 1) {
      throw new ConfigurationError('queryTimeoutMs must be a positive integer');
    }
    const names = tableNames(options.table ?? 'hallpass_sessions', options.database);
    super({
      ...options,
      name: 'mysql',
      classifyError: classifyMysqlError,
      defaultMaxDataBytes: 4 * MIB,
    });
    this.#names = names;
    this.#sql = buildStatements(names);
    this.#ensureSchema = options.ensureSchema ?? false;
    this.#queryTimeoutMs = queryTimeoutMs;
    this.#ownsPool = !pool;
    this.#pool =
      pool ??
      mysql.createPool({
        ...POOL_DEFAULTS,
        ...poolOptions,
        ...(uri === undefined ? {} : { uri }),
      });
  }

  /** `` `table` `` or `` `database`.`table` ``, as every statement names it. */
  get tableName(): string {
    return this.#names.qualified;
  }

  protected async insertRow(id: string, record: RowRecord, call: StoreCall): Promise<CreateResult> {
    const { data, userId, now } = { ...record, now: call.now };
    const [expiresAt, createdAt, lastSeenAt] = ms(
      record.expiresAt,
      record.createdAt,
      record.lastSeenAt,
    );
    const values = [id, data, expiresAt, userId, createdAt, lastSeenAt, now];
    // The expired-row branch tests "now" before each new value (see statements.ts).
    for (const value of [data, userId, createdAt, lastSeenAt, expiresAt]) values.push(now, value);
    const { insertId } = await this.#write('create', values, call);
    return insertId > 0 ? { ok: true, version: insertId } : { ok: false, reason: 'exists' };
  }

  protected async updateRow(
    id: string,
    changes: RowUpdate,
    call: WriteCall,
  ): Promise<UpdateResult> {
    const [expiresAt, lastSeenAt] = ms(changes.expiresAt, changes.lastSeenAt);
    const expected = call.expectedVersion ?? null;
    const values = [changes.data, expiresAt, changes.userId, lastSeenAt, id, call.now];
    const { insertId } = await this.#write('update', [...values, expected, expected], call);
    return this.#outcome(id, insertId, call);
  }

  /**
   * The compare-and-set marks the row expired (invisible from then on), then the row is
   * reclaimed. Should the second statement fail, the expired row is cleanup's to delete; the
   * session is gone either way.
   */
  protected async expireRow(id: string, call: WriteCall): Promise<UpdateResult> {
    const expected = call.expectedVersion ?? null;
    const { insertId } = await this.#write('expire', [id, call.now, expected, expected], call);
    if (insertId > 0) await this.#write('removeExpired', [id, insertId], call);
    return this.#outcome(id, insertId, call);
  }

  protected override async touchRow(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    call: StoreCall,
  ): Promise<boolean> {
    const values = [...ms(expiresAt, lastSeenAt), id, call.now];
    const { insertId } = await this.#write('touch', values, call);
    return insertId > 0;
  }

  protected override async deleteUserRows(
    userId: string,
    except: string | undefined,
    call: StoreCall,
  ): Promise<number> {
    const values = [userId, except ?? null, except ?? null, call.now];
    return (await this.#write('deleteByUser', values, call)).affectedRows;
  }

  protected async select(statement: SqlSelect, values: unknown[], call: StoreCall) {
    return (await this.#query(statement, values, call)) as SqlSessionRow[];
  }

  protected async execute(
    statement: 'delete' | 'deleteExpired',
    values: unknown[],
    call: StoreCall,
  ) {
    return (await this.#write(statement, values, call)).affectedRows;
  }

  /** Creates the table and indexes if missing (what `ensureSchema: true` does lazily). */
  async ensureSchema(): Promise<void> {
    try {
      await ensureSchema(this.#pool, this.#names);
    } catch (error) {
      throw toStoreError(error, {
        store: 'mysql',
        operation: 'ensureSchema',
        classify: classifyMysqlError,
      });
    }
  }

  /** Ends a pool the store created within a few seconds, also when the server stopped answering. */
  protected override async closeBackend(): Promise<void> {
    if (this.#ownsPool) await endPool(this.#pool);
  }

  /**
   * A write's result: the version it produced, or why it did not apply. Which of "conflict"
   * and "missing" is read afterwards; a session removed in the instant between reads as
   * missing, which the caller's retry would see anyway.
   */
  async #outcome(id: string, written: number, call: WriteCall): Promise<UpdateResult> {
    if (written > 0) return { ok: true, version: written };
    if (call.expectedVersion === undefined) return { ok: false, reason: 'missing' };
    const live = (await this.#query('liveVersion', [id, call.now], call)) as unknown[];
    return live.length > 0 ? { ok: false, reason: 'conflict' } : { ok: false, reason: 'missing' };
  }

  async #write(statement: keyof Statements, values: unknown[], call: StoreCall): Promise<Header> {
    return (await this.#query(statement, values, call)) as Header;
  }

  async #query(statement: keyof Statements, values: unknown[], call: StoreCall): Promise<unknown> {
    await abortable(this.#ready() ?? Promise.resolve(), call.signal);
    // The text protocol (query, not execute): values are escaped by mysql2, and LIMIT ?
    // needs no server-side prepared statement (whose integer binding MySQL 8 rejects).
    const [result] = await this.#pool.query({
      sql: this.#sql[statement],
      values,
      timeout: this.#queryTimeoutMs,
    });
    return result;
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
}

/** Times as whole epoch milliseconds: the BIGINT columns hold integers. */
function ms(...times: number[]): number[] {
  return times.map(Math.round);
}
