import { createHash } from 'node:crypto';
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
import pg from 'pg';
import { classifyPostgresError } from './errors.js';
import { type TableNames, tableNames } from './identifiers.js';
import { ensureSchema } from './schema.js';
import { buildStatements, type Statements } from './statements.js';

export interface PostgresStoreOptions extends CommonStoreOptions, CleanupOptions {
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
  /**
   * Use named (server-side prepared) statements. Turn off behind PgBouncer < 1.21 in
   * transaction mode. Default true.
   */
  preparedStatements?: boolean | undefined;
}

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
 * Defaults: maxDataBytes 4 MiB, cleanupIntervalMs 300 000, cleanupBatchSize 1000.
 */
export class PostgresStore extends SqlStore {
  readonly #pool: pg.Pool;
  readonly #ownsPool: boolean;
  readonly #names: TableNames;
  readonly #sql: Statements;
  readonly #statementNames: Map<string, string> | undefined;
  readonly #ensureSchema: boolean;
  #schemaReady: Promise<void> | undefined;

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
    const names = tableNames(options.schema ?? 'public', options.table ?? 'hallpass_sessions');
    super({
      ...options,
      name: 'postgres',
      classifyError: classifyPostgresError,
      defaultMaxDataBytes: 4 * MIB,
    });
    this.#names = names;
    this.#sql = buildStatements(names);
    this.#statementNames =
      options.preparedStatements === false ? undefined : nameStatements(this.#sql);
    this.#ensureSchema = options.ensureSchema ?? false;
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
  }

  /** `"schema"."table"`, as every statement names it. */
  get tableName(): string {
    return this.#names.qualified;
  }

  protected async insertRow(id: string, record: RowRecord, call: StoreCall): Promise<CreateResult> {
    const { data, expiresAt, userId, createdAt, lastSeenAt } = record;
    const values = [id, data, expiresAt, userId, createdAt, lastSeenAt, call.now];
    const { rows } = await this.#query<{ version: string }>('create', values, call);
    return rows[0]
      ? { ok: true, version: Number(rows[0].version) }
      : { ok: false, reason: 'exists' };
  }

  protected async updateRow(
    id: string,
    changes: RowUpdate,
    call: WriteCall,
  ): Promise<UpdateResult> {
    const { data, expiresAt, userId, lastSeenAt } = changes;
    const values = [id, data, expiresAt, userId, lastSeenAt, call.now, call.expectedVersion];
    return this.#compareAndSet('update', values, call);
  }

  protected async expireRow(id: string, call: WriteCall): Promise<UpdateResult> {
    return this.#compareAndSet('updateToExpired', [id, call.now, call.expectedVersion], call);
  }

  protected override async touchRow(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    call: StoreCall,
  ): Promise<boolean> {
    const { rowCount } = await this.#query('touch', [id, expiresAt, lastSeenAt, call.now], call);
    return (rowCount ?? 0) > 0;
  }

  protected override async deleteUserRows(
    userId: string,
    except: string | undefined,
    call: StoreCall,
  ): Promise<number> {
    const values = [userId, except ?? null, call.now];
    const { rows } = await this.#query<{ live: number }>('deleteByUser', values, call);
    return rows[0]?.live ?? 0;
  }

  protected async select(statement: SqlSelect, values: unknown[], call: StoreCall) {
    return (await this.#query<SqlSessionRow>(statement, values, call)).rows;
  }

  protected async execute(
    statement: 'delete' | 'deleteExpired',
    values: unknown[],
    call: StoreCall,
  ) {
    return (await this.#query(statement, values, call)).rowCount ?? 0;
  }

  /** Creates the schema, table and indexes if missing (what `ensureSchema: true` does lazily). */
  async ensureSchema(): Promise<void> {
    try {
      await ensureSchema(this.#pool, this.#names);
    } catch (error) {
      throw toStoreError(error, {
        store: 'postgres',
        operation: 'ensureSchema',
        classify: classifyPostgresError,
      });
    }
  }

  protected override async closeBackend(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end();
  }

  /**
   * A compare-and-set write that also says why it did not apply: `current` is the live version
   * the statement saw, `written` the version after the write (null if it did not apply). A live
   * row that did not take the write lost the compare-and-set (or was removed in the instant
   * between; the caller's retry then sees it missing).
   */
  async #compareAndSet(
    statement: 'update' | 'updateToExpired',
    values: unknown[],
    call: WriteCall,
  ): Promise<UpdateResult> {
    const { rows } = await this.#query<CasRow>(statement, values, call);
    const { written, current } = rows[0] ?? { written: null, current: null };
    if (written !== null) return { ok: true, version: Number(written) };
    if (current !== null && call.expectedVersion !== undefined) {
      return { ok: false, reason: 'conflict' };
    }
    return { ok: false, reason: 'missing' };
  }

  async #query<R extends object = object>(
    statement: keyof Statements,
    values: unknown[],
    call: StoreCall,
  ): Promise<pg.QueryResult<R>> {
    await abortable(this.#ready() ?? Promise.resolve(), call.signal);
    return this.#pool.query<R>({
      text: this.#sql[statement],
      values: values.map((value) => value ?? null),
      name: this.#statementNames?.get(statement),
    });
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
