import {
  ConfigurationError,
  CorruptDataError,
  InvalidInputError,
  type StoreError,
  throwIfAborted,
} from '../errors.js';
import { abortable } from './abortable.js';
import { type Awaitable, isPromiseLike } from './awaitable.js';
import { type DeleteExpiredOptions, deleteInBatches, Sweeper } from './cleanup.js';
import { resolveClock } from './clock.js';
import type {
  CallOptions,
  CreateResult,
  DeleteByUserOptions,
  IterableStore,
  IterateOptions,
  SessionRecord,
  SessionUpdate,
  StoreCapabilities,
  StoredSession,
  TouchableStore,
  UpdateOptions,
  UpdateResult,
  UserIndexStore,
} from './contract.js';
import { type CorruptDataListener, corruptDataReporter } from './corrupt-data.js';
import { type ErrorClassifier, toStoreError } from './error-mapping.js';
import { StoreLifecycle } from './lifecycle.js';
import { type ReadRowOptions, readSessionRow, type SessionRow } from './rows.js';
import {
  assertValidId,
  assertValidPageSize,
  assertValidRecord,
  assertValidTouch,
  assertValidUserId,
  assertValidVersion,
} from './validate.js';

/** Options every store built on BaseStore accepts, under these names. */
export interface CommonStoreOptions {
  /**
   * The clock every expiry decision reads, in epoch milliseconds. Default `Date.now`. Give it
   * the SessionManager's clock so tests move time instead of sleeping.
   */
  clock?: (() => number) | undefined;
  /** Largest accepted session data in bytes; larger writes throw RecordTooLargeError. */
  maxDataBytes?: number | undefined;
  /**
   * Called for a stored session that listByUser or iterate skip because it cannot be read (find
   * rejects with CorruptDataError instead). Also published on the `hallpass:store:corrupt-data`
   * diagnostics channel. Default: process.emitWarning.
   */
  onCorruptData?: CorruptDataListener | undefined;
  /** @deprecated Use `onCorruptData`, whose event carries this error as `error`. */
  onCorruptRow?: ((error: CorruptDataError) => void) | undefined;
}

/** Options of a store whose backend does not expire sessions by itself (SQL, memory). */
export interface CleanupOptions {
  /** How often expired sessions are deleted, in ms (plus up to 10% jitter). 0 disables. */
  cleanupIntervalMs?: number | undefined;
  /** Sessions deleted per cleanup step. */
  cleanupBatchSize?: number | undefined;
  /** Called when a background cleanup fails (the next one retries). Default: ignored. */
  onCleanupError?: ((error: StoreError) => void) | undefined;
}

/**
 * The options every store built on BaseStore accepts under these names and that the kit applies
 * the same way in every store (validation, defaults, the cleanup timer, corrupt-data reporting):
 * the user-facing standard set, without deprecated aliases. A store whose backend expires
 * sessions by itself (Redis, MongoDB) runs no cleanup; its cleanup options are still checked.
 * `@hallpass/conformance`'s `configure` hook varies these to test them.
 */
export interface StandardStoreOptions
  extends Omit<CommonStoreOptions, 'onCorruptRow'>,
    CleanupOptions {}

/** What a store tells the kit about itself, with its user's options. */
export interface StoreSettings extends CommonStoreOptions, CleanupOptions {
  /** Names the store in error messages and corrupt-data events: 'sqlite'. */
  name: string;
  /** Whether updateRow and expireRow honour `call.expectedVersion` atomically. Default true. */
  versioned?: boolean | undefined;
  /** Sessions per iterate page when the caller gives no pageSize. Default 1000. */
  defaultPageSize?: number | undefined;
  /** The most rows the backend returns per pageRows call, whatever is asked. Default: no cap. */
  maxPageSize?: number | undefined;
  /**
   * `rowPages` never hands the same id twice in one iteration. Then the kit keeps no record of
   * the ids it yielded and an iteration holds one page at a time. Default false: the kit
   * remembers every id yielded (one Set entry per session, tens of MiB over millions), which a
   * cursor that may return an entry twice (SCAN) needs.
   */
  uniqueRowPages?: boolean | undefined;
  /**
   * The bytes in the rows the primitives return were allocated for that read, and nothing else
   * holds them (better-sqlite3 copies each BLOB into a new Buffer): the kit hands them out
   * without copying them again. Default false: copied, as a store's own buffers (a Map) or a
   * driver's pooled slices must be.
   */
  freshRowData?: boolean | undefined;
  /** Default of maxDataBytes. Default: none. */
  defaultMaxDataBytes?: number | undefined;
  /** Default of cleanupIntervalMs. Default 300 000. */
  defaultCleanupIntervalMs?: number | undefined;
  /** Default of cleanupBatchSize. Default 1000. */
  defaultCleanupBatchSize?: number | undefined;
  /** Reads the driver's errors; see ErrorClassifier. Default: everything is unavailable. */
  classifyError?: ErrorClassifier | undefined;
}

/** What every primitive receives: the instant the call judges expiry by, and its signal. */
export interface StoreCall {
  /** "now" for this call, from the store's clock, read once. */
  readonly now: number;
  readonly signal: AbortSignal | undefined;
  /** The store method running: 'find', 'create'... */
  readonly operation: string;
}

/**
 * A write's call: the compare-and-set version, when the caller gave one (and the store is
 * versioned).
 */
export interface WriteCall extends StoreCall {
  readonly expectedVersion: number | undefined;
}

/** Written data: exactly the caller's bytes (a view's own range), valid during the call only. */
export type RowRecord = SessionRecord & { data: Buffer };
export type RowUpdate = SessionUpdate & { data: Buffer };

const EXISTS: CreateResult = { ok: false, reason: 'exists' };

/**
 * The store author's kit: extend it and write the primitives; it applies the contract's shared
 * rules once. It validates every argument, checks the signal before a call and rejects as soon
 * as it fires, maps driver errors to StoreErrors (keeping `cause`), turns writes whose expiry has
 * passed into "persist nothing" and "remove", validates and copies every row read, rejects
 * `find` on a corrupt row and skips (and reports) one in listings, pages iteration, runs
 * cleanup, and makes close() idempotent, with every call after it rejected.
 *
 * Primitives only ever see valid input and a `call.now`; what they return must be live as of
 * `call.now` (the kit re-checks expiry, ids and user ids anyway).
 */
export abstract class BaseStore implements IterableStore, UserIndexStore, TouchableStore {
  readonly capabilities: StoreCapabilities;
  /** The clock expiry is judged by. */
  protected readonly clock: () => number;
  readonly #name: string;
  readonly #maxDataBytes: number | undefined;
  readonly #defaultPageSize: number;
  readonly #maxPageSize: number;
  readonly #uniqueRowPages: boolean;
  readonly #readRowOptions: ReadRowOptions;
  readonly #batchSize: number;
  readonly #classify: ErrorClassifier | undefined;
  readonly #reportCorrupt: CorruptDataListener;
  readonly #sweeper: Sweeper | undefined;
  readonly #lifecycle: StoreLifecycle;

  /** The live session under the id, or null. Only `call.now` decides what is live. */
  protected abstract readRow(id: string, call: StoreCall): Awaitable<SessionRow | null | undefined>;
  /**
   * Writes a new session unless a live one holds the id (then 'exists').
   * `record.expiresAt > call.now`.
   */
  protected abstract insertRow(
    id: string,
    record: RowRecord,
    call: StoreCall,
  ): Awaitable<CreateResult>;
  /**
   * Rewrites a live session (if its version is `call.expectedVersion`, when given).
   * `changes.expiresAt > call.now`.
   */
  protected abstract updateRow(
    id: string,
    changes: RowUpdate,
    call: WriteCall,
  ): Awaitable<UpdateResult>;
  /**
   * Removes a live session as an update to a past expiry does (if its version is
   * `call.expectedVersion`, when given); reports the version the update would have produced.
   */
  protected abstract expireRow(id: string, call: WriteCall): Awaitable<UpdateResult>;
  /** Removes the session, live or not. */
  protected abstract deleteRow(id: string, call: StoreCall): Awaitable<void>;
  /** Sets expiry and last-seen of a live session; false when none. `expiresAt > call.now`. */
  protected touchRow?(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    call: StoreCall,
  ): Awaitable<boolean>;
  /** Keyset iteration: up to `limit` live rows with ids greater than `after`, ordered by id. */
  protected pageRows?(after: string, limit: number, call: StoreCall): Awaitable<SessionRow[]>;
  /**
   * Iteration for backends without an ordered key: pages of rows. The kit drops repeats, unless
   * the store declares `uniqueRowPages`.
   */
  protected rowPages?(
    pageSize: number,
    signal: AbortSignal | undefined,
  ): AsyncIterable<SessionRow[]>;
  /** The user's live rows (the kit keeps exact matches and sorts them). */
  protected userRows?(userId: string, call: StoreCall): Awaitable<SessionRow[]>;
  /** Removes the user's sessions but `except`; returns how many of them were live. */
  protected deleteUserRows?(
    userId: string,
    except: string | undefined,
    call: StoreCall,
  ): Awaitable<number>;
  /** Deletes up to `limit` sessions expired as of `call.now`; returns how many. Enables cleanup. */
  protected deleteExpiredRows?(limit: number, call: StoreCall): Awaitable<number>;
  /** Releases what the store created (never what the application passed in). Runs once. */
  protected closeBackend?(): Promise<void>;

  constructor(settings: StoreSettings) {
    this.#name = settings.name;
    this.#lifecycle = new StoreLifecycle(settings.name);
    this.clock = resolveClock(settings.clock);
    this.#maxDataBytes = settings.maxDataBytes ?? settings.defaultMaxDataBytes;
    this.#defaultPageSize = settings.defaultPageSize ?? 1000;
    this.#maxPageSize = settings.maxPageSize ?? Number.POSITIVE_INFINITY;
    // Stryker disable next-line all: not reached by the stores of this run: the default matters for a rowPages store that leaves it unset (Redis SCAN); memory sets it, SQLite pages by key
    this.#uniqueRowPages = settings.uniqueRowPages ?? false;
    // Stryker disable next-line all: equivalent, a copy of bytes nothing else holds
    this.#readRowOptions = { freshData: settings.freshRowData ?? false };
    this.#classify = settings.classifyError;
    const { onCorruptData, onCorruptRow } = settings;
    this.#reportCorrupt = corruptDataReporter(
      // Stryker disable next-line all: not reached by the stores of this run: the deprecated onCorruptRow alias, which no store here is given (core store-kit tests)
      onCorruptData ?? (onCorruptRow && ((event) => onCorruptRow(event.error))),
    );
    this.#batchSize = settings.cleanupBatchSize ?? settings.defaultCleanupBatchSize ?? 1000;
    if (!Number.isSafeInteger(this.#batchSize) || this.#batchSize < 1) {
      throw new ConfigurationError('cleanupBatchSize must be a positive integer');
    }
    const interval = settings.cleanupIntervalMs ?? settings.defaultCleanupIntervalMs ?? 300_000;
    // Infinity too: a timer cannot wait that long (it would fire at once); 0 disables.
    // Stryker disable next-line ConditionalExpression: `typeof` → false is equivalent (Number.isFinite refuses a non-number); the others here are killed
    if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 0) {
      throw new ConfigurationError('cleanupIntervalMs must be a number of ms, 0 to disable');
    }
    this.capabilities = Object.freeze({
      versioned: settings.versioned ?? true,
      iterate: typeof this.pageRows === 'function' || typeof this.rowPages === 'function',
      // Stryker disable next-line ConditionalExpression,LogicalOperator: not reached by the stores of this run: a store with one of userRows and deleteUserRows (the stores here have both or neither)
      userIndex: typeof this.userRows === 'function' && typeof this.deleteUserRows === 'function',
      // Stryker disable next-line ConditionalExpression: not reached by the stores of this run: a store without touchRow (all three have it)
      touch: typeof this.touchRow === 'function',
    });
    // Stryker disable next-line ConditionalExpression: equivalent, a sweeper over a store without deleteExpiredRows deletes nothing
    if (typeof this.deleteExpiredRows === 'function' && interval > 0) {
      // Stryker disable next-line all: not reached by the stores of this run: a background cleanup that fails (core store-kit tests)
      const onError = settings.onCleanupError ?? (() => {});
      this.#sweeper = new Sweeper(
        // Stryker disable next-line ObjectLiteral: equivalent, close() lets a running cleanup finish either way
        (signal) => this.deleteExpired({ signal }),
        interval,
        // Stryker disable next-line all: not reached by the stores of this run: a background cleanup that fails (core store-kit tests)
        (error) => onError(this.#toStoreError(error, 'cleanup')),
      );
    }
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    assertValidId(id);
    const call = this.#call('find', options);
    const row = await this.#run(call, () => this.readRow(id, call));
    if (!row) return null;
    const session = readSessionRow(row, this.#name, this.#readRowOptions);
    // Stryker disable next-line ConditionalExpression: equivalent under the contract, which lets find answer a corrupt session with null or CorruptDataError
    if (session instanceof CorruptDataError) throw session;
    // Stryker disable next-line all: not reached by the stores of this run: defence in depth against a readRow that returns another id or an expired row (core store-kit tests)
    return session.id === id && session.expiresAt > call.now ? session : null;
  }

  async create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    assertValidId(id);
    assertValidRecord(record, { maxDataBytes: this.#maxDataBytes });
    const call = this.#call('create', options);
    if (record.expiresAt <= call.now) {
      // Already expired: persist nothing, but a live session holding the id is still `exists`.
      const row = await this.#run(call, () => this.readRow(id, call));
      return row && this.#holdsId(row, id, call.now) ? EXISTS : { ok: true, version: 1 };
    }
    const written = { ...record, data: exactBytes(record.data) };
    return this.#run(call, () => this.insertRow(id, written, call));
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    assertValidId(id);
    assertValidRecord(changes, { maxDataBytes: this.#maxDataBytes });
    assertValidVersion(options?.expectedVersion);
    const call: WriteCall = {
      ...this.#call('update', options),
      expectedVersion: this.capabilities.versioned ? options?.expectedVersion : undefined,
    };
    if (changes.expiresAt <= call.now) return this.#run(call, () => this.expireRow(id, call));
    const written = { ...changes, data: exactBytes(changes.data) };
    return this.#run(call, () => this.updateRow(id, written, call));
  }

  async touch(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    assertValidTouch(id, expiresAt, lastSeenAt);
    // Stryker disable next-line StringLiteral: not reached by the stores of this run: touch on a store without touchRow
    const touchRow = this.#primitive(this.touchRow, 'touch');
    const call = this.#call('touch', options);
    if (expiresAt > call.now) {
      return this.#run(call, () => touchRow.call(this, id, expiresAt, lastSeenAt, call));
    }
    const expireCall: WriteCall = { ...call, expectedVersion: undefined };
    const result = await this.#run(call, () => this.expireRow(id, expireCall));
    return result.ok;
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    assertValidId(id);
    const call = this.#call('delete', options);
    await this.#run(call, () => this.deleteRow(id, call));
  }

  async *iterate(options?: IterateOptions): AsyncIterable<StoredSession> {
    const pageSize = options?.pageSize ?? this.#defaultPageSize;
    assertValidPageSize(pageSize);
    const signal = options?.signal;
    if (this.pageRows) {
      yield* this.#keysetPages(this.pageRows, pageSize, signal);
      return;
    }
    const rowPages = this.#primitive(this.rowPages, 'iterate');
    this.#call('iterate', options);
    // A backend cursor (SCAN) may return an entry twice; ids are remembered to yield it once.
    // A store whose pages never repeat an id is spared that set: it grows with every session.
    const seen = this.#uniqueRowPages ? undefined : new Set<string>();
    const pages = rowPages.call(this, pageSize, signal)[Symbol.asyncIterator]();
    // Stryker disable BlockStatement: an empty finally block is equivalent (see there); the loop's blocks, killed when emptied, are left out with it
    try {
      for (;;) {
        // Stryker disable next-line StringLiteral: the call named when the store is closed mid-iteration; closed before, the check above names it
        const call = this.#call('iterate', options);
        const page = await this.#run(call, () => pages.next());
        if (page.done) return;
        for (const row of page.value) {
          // Stryker disable next-line ConditionalExpression: not reached by the stores of this run: a rowPages store whose pages repeat an id (Redis SCAN)
          if (seen?.has(row.id)) continue;
          const session = this.#listed(row, call.now);
          if (!session) continue;
          seen?.add(row.id);
          throwIfAborted(signal);
          yield session;
        }
        await nextTurn();
      }
    } finally {
      // Not awaited: a page still in flight after an abort must not hold the caller.
      // Stryker disable next-line all: equivalent, an iteration left early is released by garbage collection instead
      pages.return?.()?.catch(() => {});
    }
  }

  // Stryker restore BlockStatement
  /**
   * Keyset pagination: each page starts after the last id of the previous one, so sessions
   * deleted or created meanwhile never shift the pages and none is yielded twice. A page is
   * never asked for more than the backend returns at once, so a short page really is the last.
   */
  async *#keysetPages(
    pageRows: NonNullable<BaseStore['pageRows']>,
    pageSize: number,
    signal: AbortSignal | undefined,
  ): AsyncIterable<StoredSession> {
    const limit = Math.min(pageSize, this.#maxPageSize);
    let after = '';
    for (;;) {
      // Stryker disable next-line ObjectLiteral: equivalent, the signal is checked again before each session is yielded
      const call = this.#call('iterate', { signal });
      const rows = await this.#run(call, () => pageRows.call(this, after, limit, call));
      for (const row of rows) {
        const session = this.#listed(row, call.now);
        if (!session) continue;
        throwIfAborted(signal);
        yield session;
      }
      const last = rows.at(-1);
      // Stryker disable next-line all: equivalent, one more (empty) page is read before the end
      if (!last || rows.length < limit) return;
      after = last.id;
      // Let requests in between pages: a big table never holds the event loop for long.
      await nextTurn();
    }
  }

  async listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    assertValidUserId(userId);
    const userRows = this.#primitive(this.userRows, 'listByUser');
    const call = this.#call('listByUser', options);
    const rows = await this.#run(call, () => userRows.call(this, userId, call));
    // Stryker disable next-line all: equivalent, the filter below drops what is not a session of the user
    const sessions = rows.flatMap((row) => this.#listed(row, call.now) ?? []);
    // Stryker disable next-line ConditionalExpression,MethodExpression: not reached by the stores of this run: defence in depth against a userRows that returns other users' rows (core store-kit tests)
    const owned = sessions.filter((session) => session.userId === userId);
    return owned.sort(byCreationThenId);
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    assertValidUserId(userId);
    const except = options?.except;
    if (except !== undefined) assertValidId(except);
    const deleteUserRows = this.#primitive(this.deleteUserRows, 'deleteByUser');
    const call = this.#call('deleteByUser', options);
    return this.#run(call, () => deleteUserRows.call(this, userId, except, call));
  }

  /**
   * Deletes expired sessions in bounded batches, yielding to the event loop between them;
   * returns how many. The background cleanup calls it; call it from a cron job instead with
   * `cleanupIntervalMs: 0`. 0 on a backend that expires sessions by itself.
   */
  async deleteExpired(options: DeleteExpiredOptions = {}): Promise<number> {
    const batchSize = options.batchSize ?? this.#batchSize;
    assertValidPageSize(batchSize, 'batchSize');
    // Before the shortcut below: an aborted call rejects on every store (rule 6), also on one
    // whose backend expires sessions by itself.
    // Stryker disable next-line CallExpression: equivalent on these stores: deleteInBatches checks the signal before its first batch (needed for stores without deleteExpiredRows: Redis, MongoDB)
    throwIfAborted(options.signal);
    const deleteExpiredRows = this.deleteExpiredRows;
    // Stryker disable next-line ConditionalExpression: not reached by the stores of this run: a store without deleteExpiredRows (all three have it)
    if (!deleteExpiredRows) return 0;
    return deleteInBatches(
      (limit) => {
        const call = this.#call('deleteExpired', undefined);
        return this.#run(call, () => deleteExpiredRows.call(this, limit, call));
      },
      batchSize,
      options.signal,
    );
  }

  /** Stops cleanup and releases what the store created. Idempotent; later calls reject. */
  close(): Promise<void> {
    return this.#lifecycle.close(async () => {
      await this.#sweeper?.stop();
      await this.#releaseBackend();
    });
  }

  // Stryker disable BlockStatement,StringLiteral: what a store releases is its own (SQLite closes the database it opened: packages/sqlite/test); a closeBackend that fails is not reached by the stores of this run (core store-kit tests)
  /** closeBackend, its failure mapped like any call's. */
  async #releaseBackend(): Promise<void> {
    try {
      await this.closeBackend?.();
    } catch (error) {
      throw this.#toStoreError(error, 'close');
    }
  }
  // Stryker restore BlockStatement,StringLiteral

  /** The call's context: checks the signal and that the store is open, reads the clock once. */
  #call(operation: string, options: CallOptions | undefined): StoreCall {
    const signal = options?.signal;
    this.#lifecycle.enter(operation, signal);
    return { now: this.clock(), signal, operation };
  }

  /**
   * Runs a primitive: rejects as soon as the signal fires, maps whatever it throws. Without a
   * signal there is nothing to race: an answer given at once is returned as is (every caller is
   * an async method, which awaits it either way), so a synchronous backend builds no promise.
   * With one, even an answer given at once settles a turn later, and a signal fired meanwhile
   * rejects the call, as it does for every store.
   */
  #run<T>(call: StoreCall, work: () => Awaitable<T>): Awaitable<T> {
    let answer: Awaitable<T>;
    try {
      answer = work();
    } catch (error) {
      throw this.#toStoreError(error, call.operation, call.signal);
    }
    // Stryker disable next-line ConditionalExpression: equivalent, a synchronous answer wrapped in a promise
    if (!call.signal && !isPromiseLike(answer)) return answer;
    const running = Promise.resolve(answer);
    return (call.signal ? abortable(running, call.signal) : running).catch((error: unknown) => {
      throw this.#toStoreError(error, call.operation, call.signal);
    });
  }

  #toStoreError(error: unknown, operation: string, signal?: AbortSignal): StoreError {
    return toStoreError(error, { store: this.#name, operation, classify: this.#classify, signal });
  }

  /**
   * Reports an entry the store skips on its own, outside the rows it hands the kit: a value a
   * write script found unreadable, or one a listing could not even decode into a row. Goes to
   * `onCorruptData` and the `hallpass:store:corrupt-data` channel, like the rows the kit skips.
   */
  // Stryker disable all: not reached by the stores of this run: reportCorruptData is for stores that find corrupt entries outside the kit's rows (Redis, MongoDB scripts)
  protected reportCorruptData(id: string, error: CorruptDataError): void {
    this.#reportCorrupt({ store: this.#name, id, error });
  }
  // Stryker restore all

  /** A listed or iterated row as a session, or null: expired, or corrupt (then reported). */
  #listed(row: SessionRow, now: number): StoredSession | null {
    const session = readSessionRow(row, this.#name, this.#readRowOptions);
    if (session instanceof CorruptDataError) {
      this.#reportCorrupt({ store: this.#name, id: row.id, error: session });
      return null;
    }
    return session.expiresAt > now ? session : null;
  }

  /** Whether a row read back holds the id: live, or unreadable (which still occupies it). */
  #holdsId(row: SessionRow, id: string, now: number): boolean {
    const session = readSessionRow(row, this.#name, this.#readRowOptions);
    if (session instanceof CorruptDataError) return true;
    // Stryker disable next-line all: not reached by the stores of this run: defence in depth against a readRow that returns another id or an expired row (core store-kit tests)
    return session.id === id && session.expiresAt > now;
  }

  /** A capability's primitive, or an InvalidInputError naming the capability the store lacks. */
  #primitive<F extends (...args: never[]) => unknown>(primitive: F | undefined, method: string): F {
    if (typeof primitive !== 'function') {
      throw new InvalidInputError(`${this.#name} store does not implement ${method}`);
    }
    return primitive;
  }
}

/** The caller's bytes as a Buffer over exactly the view's range: no copy, no neighbouring bytes. */
function exactBytes(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Listing order: creation time, then id (sessions created in the same millisecond). */
function byCreationThenId(a: StoredSession, b: StoredSession): number {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, ids are distinct and V8's sort only asks whether the answer is below 0
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

// Stryker disable next-line BlockStatement: equivalent for results: the turn between pages only lets other work run
function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
