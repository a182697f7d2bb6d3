import diagnosticsChannel from 'node:diagnostics_channel';
import {
  assertValidId,
  assertValidPageSize,
  assertValidRecord,
  assertValidUserId,
  type CallOptions,
  ConfigurationError,
  CorruptDataError,
  type CreateResult,
  type DeleteByUserOptions,
  InvalidInputError,
  type IterableStore,
  type IterateOptions,
  type SessionRecord,
  type SessionUpdate,
  type StoreCapabilities,
  type StoredSession,
  type StoreError,
  StoreUnavailableError,
  type TouchableStore,
  throwIfAborted,
  type UpdateOptions,
  type UpdateResult,
  type UserIndexStore,
} from '@hallpass/core';
import type { RawInspector, StandardStoreOptions } from '../../src/index.js';

const corruptData = diagnosticsChannel.channel('hallpass:store:corrupt-data');
const MAX_TIME_MS = 8.64e15;
/** The longest delay setTimeout honours; beyond it Node fires after 1 ms. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** The event of `onCorruptData`. */
export type CorruptEvent = Parameters<NonNullable<StandardStoreOptions['onCorruptData']>>[0];

export interface Row {
  data: Uint8Array;
  expiresAt: number;
  userId: string | null;
  createdAt: number;
  lastSeenAt: number;
  version: number;
}

/** Lets other callbacks run, as a round trip to a backend would. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A store that follows every rule of the contract, over Maps laid out like a Redis store:
 * `s:<id>` rows and `u:<userId>` index sets, each key with a "native" expiry the backend
 * enforces (as PEXPIREAT would). The mutants in ../mutants each break one rule of it.
 */
export class ReferenceStore implements IterableStore, UserIndexStore, TouchableStore {
  readonly capabilities: StoreCapabilities = {
    versioned: true,
    iterate: true,
    userIndex: true,
    touch: true,
  };
  readonly rows = new Map<string, Row>();
  readonly index = new Map<string, Set<string>>();
  /** Native expiry per key (`s:` and `u:`), null for a key without one. */
  readonly expiry = new Map<string, number | null>();
  /**
   * What every expiry decision reads, like a real store's `clock` option. The "native" expiry
   * above stays on real time, as a backend's own clock would.
   */
  clock: () => number;
  closed = false;
  /** The standard options, applied by hand as a store without the kit must (see configure). */
  readonly maxDataBytes: number | undefined;
  readonly onCorruptData: ((event: CorruptEvent) => void) | undefined;
  readonly onCleanupError: ((error: StoreError) => void) | undefined;
  /** The background cleanup's timer, while one is scheduled. */
  timer: NodeJS.Timeout | undefined;
  /**
   * Set, the "backend" is down: every call that reaches it fails with this error (the driver's),
   * which the store maps to StoreUnavailableError (see `unavailable` in the self-test options).
   */
  backendDown: Error | undefined;

  constructor(options: StandardStoreOptions = {}) {
    const clock: unknown = options.clock ?? Date.now;
    if (typeof clock !== 'function') throw new ConfigurationError('clock must be a function');
    this.clock = clock as () => number;
    this.maxDataBytes = options.maxDataBytes;
    this.onCorruptData = options.onCorruptData;
    this.onCleanupError = options.onCleanupError;
    const batchSize: unknown = options.cleanupBatchSize ?? 1000;
    if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new ConfigurationError('cleanupBatchSize must be a positive integer');
    }
    // The "backend" expires keys by itself: no background cleanup unless one is asked for.
    const interval: unknown = options.cleanupIntervalMs ?? 0;
    if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 0) {
      throw new ConfigurationError('cleanupIntervalMs must be a finite number of ms, 0 to disable');
    }
    if (this.cleanupRuns(interval)) this.scheduleCleanup(interval);
  }

  /** Whether a cleanupIntervalMs starts the background cleanup. */
  cleanupRuns(intervalMs: number): boolean {
    return intervalMs > 0;
  }

  /** The delay of the next sweep: never beyond what a timer holds. */
  cleanupDelay(intervalMs: number): number {
    return Math.min(intervalMs, MAX_TIMER_DELAY_MS);
  }

  /** Sweeps every `intervalMs`, on an unref'd timer: it never keeps the process alive. */
  scheduleCleanup(intervalMs: number): void {
    this.timer = setTimeout(async () => {
      try {
        await this.sweep();
      } catch (error) {
        this.onCleanupError?.(error as StoreError);
      }
      if (!this.closed) this.scheduleCleanup(intervalMs);
    }, this.cleanupDelay(intervalMs));
    this.timer.unref();
  }

  /** One run of the background cleanup. */
  async sweep(): Promise<void> {
    await this.deleteExpired();
  }

  /** Called by close(). */
  stopCleanup(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The record checks, with the maxDataBytes limit. */
  checkRecord(record: SessionRecord | SessionUpdate): void {
    assertValidRecord(
      record,
      this.maxDataBytes === undefined ? {} : { maxDataBytes: this.maxDataBytes },
    );
  }

  /** Refuses a call whose signal has fired or that starts after close(). */
  enter(signal: AbortSignal | undefined, operation = 'call'): void {
    throwIfAborted(signal);
    if (this.closed) throw new StoreUnavailableError(`reference ${operation}: the store is closed`);
  }

  /**
   * The "round trip" to the backend: one turn, at the end of which a signal that fired while
   * the call was in flight rejects it (before anything is written).
   */
  async roundTrip(signal: AbortSignal | undefined, operation = 'call'): Promise<void> {
    await Promise.resolve();
    this.reachBackend(operation);
    throwIfAborted(signal);
  }

  /** Fails when the backend is down, as a driver would, mapped as the contract requires. */
  reachBackend(operation: string): void {
    const error = this.backendDown;
    if (error) throw this.unavailable(operation, error);
  }

  /** The StoreError a failed driver call becomes: the store, the call, the driver's error. */
  unavailable(operation: string, error: Error): Error {
    return new StoreUnavailableError(`reference ${operation}: ${error.message}`, { cause: error });
  }

  /** An entry listings skip because it cannot be read: published, as BaseStore does. */
  reportCorrupt(id: string): void {
    const error = new CorruptDataError(`reference session ${id}: data is not bytes`);
    const event = { store: 'reference', id, error };
    if (corruptData.hasSubscribers) corruptData.publish(event);
    if (!this.onCorruptData) {
      process.emitWarning(error.message, { code: 'HALLPASS_CORRUPT_DATA' });
      return;
    }
    try {
      this.onCorruptData(event);
    } catch {
      // A broken logger must not fail the listing.
    }
  }

  /** Whether a row is stored under the id but cannot be read. */
  unreadable(id: string): boolean {
    const row = this.rows.get(`s:${id}`);
    return row !== undefined && !(row.data instanceof Uint8Array);
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    this.enter(options?.signal, 'find');
    assertValidId(id);
    await this.roundTrip(options?.signal, 'find');
    const row = this.live(id);
    return row ? this.snapshot(id, row) : null;
  }

  async create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    this.enter(options?.signal, 'create');
    assertValidId(id);
    this.checkRecord(record);
    await this.roundTrip(options?.signal, 'create');
    if (this.live(id)) return { ok: false, reason: 'exists' };
    if (record.expiresAt > this.clock()) this.write(id, { ...record, version: 1 });
    return { ok: true, version: 1 };
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    this.enter(options?.signal, 'update');
    assertValidId(id);
    this.checkRecord(changes);
    const expected = options?.expectedVersion;
    if (expected !== undefined && (typeof expected !== 'number' || !Number.isFinite(expected))) {
      throw new InvalidInputError('expectedVersion must be a finite number');
    }
    await this.roundTrip(options?.signal, 'update');
    const row = this.live(id);
    if (!row) return { ok: false, reason: 'missing' };
    if (options?.expectedVersion !== undefined && options.expectedVersion !== row.version) {
      return { ok: false, reason: 'conflict' };
    }
    const version = row.version + 1;
    if (changes.expiresAt > this.clock()) {
      this.write(id, { ...changes, createdAt: row.createdAt, version });
    } else {
      this.remove(id);
    }
    return { ok: true, version };
  }

  async touch(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    this.enter(options?.signal, 'touch');
    assertValidId(id);
    for (const [name, time] of [
      ['expiresAt', expiresAt],
      ['lastSeenAt', lastSeenAt],
    ] as const) {
      if (!Number.isFinite(time) || Math.abs(time) > MAX_TIME_MS) {
        throw new InvalidInputError(`${name} must be a time a Date can hold`);
      }
    }
    await this.roundTrip(options?.signal, 'touch');
    const row = this.live(id);
    if (!row) return false;
    if (expiresAt <= this.clock()) {
      this.remove(id);
      return true;
    }
    row.expiresAt = expiresAt;
    row.lastSeenAt = lastSeenAt;
    this.setExpiry(id, row);
    return true;
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    this.enter(options?.signal, 'delete');
    assertValidId(id);
    await this.roundTrip(options?.signal, 'delete');
    this.remove(id);
  }

  async *iterate(options?: IterateOptions): AsyncIterable<StoredSession> {
    this.enter(options?.signal, 'iterate');
    const pageSize = options?.pageSize ?? 100;
    assertValidPageSize(pageSize);
    // The ids present when the iteration starts, read page by page.
    const ids = [...this.rows.keys()].map((key) => key.slice(2));
    // Even an empty store asks its backend once.
    if (ids.length === 0) {
      await nextTurn();
      this.reachBackend('iterate');
    }
    for (let start = 0; start < ids.length; start += pageSize) {
      await nextTurn();
      this.reachBackend('iterate');
      throwIfAborted(options?.signal);
      const page = ids.slice(start, start + pageSize).flatMap((id) => {
        if (this.unreadable(id)) this.reportCorrupt(id);
        const row = this.live(id);
        return row ? [this.snapshot(id, row)] : [];
      });
      for (const session of page) {
        // Not one more session once the signal has fired, even from a page already read.
        throwIfAborted(options?.signal);
        yield session;
      }
    }
  }

  async listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    this.enter(options?.signal, 'listByUser');
    assertValidUserId(userId);
    await this.roundTrip(options?.signal, 'listByUser');
    return this.indexed(userId)
      .flatMap((id) => {
        if (this.unreadable(id)) this.reportCorrupt(id);
        const row = this.live(id);
        return row && row.userId === userId ? [this.snapshot(id, row)] : [];
      })
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    this.enter(options?.signal, 'deleteByUser');
    assertValidUserId(userId);
    if (options?.except !== undefined) assertValidId(options.except);
    await this.roundTrip(options?.signal, 'deleteByUser');
    let removed = 0;
    for (const id of this.indexed(userId)) {
      if (id === options?.except) continue;
      if (this.live(id)) removed++;
      this.remove(id);
    }
    return removed;
  }

  /** The on-demand cleanup of a store without native expiry; the batches are one here. */
  async deleteExpired(options: { batchSize?: number; signal?: AbortSignal } = {}) {
    this.enter(options.signal, 'deleteExpired');
    assertValidPageSize(options.batchSize ?? 1000, 'batchSize');
    await nextTurn();
    this.reachBackend('deleteExpired');
    let removed = 0;
    for (const [key, row] of [...this.rows]) {
      if (row.expiresAt <= this.clock()) {
        this.remove(key.slice(2));
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopCleanup();
  }

  // ---- the "backend" ----

  indexed(userId: string): string[] {
    return [...(this.index.get(`u:${userId}`) ?? [])];
  }

  live(id: string): Row | undefined {
    const row = this.rows.get(`s:${id}`);
    if (!row) return undefined;
    // An unreadable row reads as no session (the other allowed answer is CorruptDataError).
    if (!(row.data instanceof Uint8Array)) return undefined;
    const native = this.expiry.get(`s:${id}`);
    if (row.expiresAt > this.clock() && (native == null || native > Date.now())) return row;
    this.remove(id);
    return undefined;
  }

  snapshot(id: string, row: Row): StoredSession {
    return { id, ...row, data: row.data.slice() };
  }

  /** The live sessions among `ids`, in their order. */
  sessions(ids: readonly string[]): StoredSession[] {
    return ids.flatMap((id) => {
      const row = this.live(id);
      return row ? [this.snapshot(id, row)] : [];
    });
  }

  write(id: string, row: Row): void {
    const previous = this.rows.get(`s:${id}`);
    if (previous?.userId != null && previous.userId !== row.userId) {
      this.unindex(id, previous.userId);
    }
    this.rows.set(`s:${id}`, { ...row, data: row.data.slice() });
    if (row.userId !== null) {
      const key = `u:${row.userId}`;
      const ids = this.index.get(key) ?? new Set<string>();
      ids.add(id);
      this.index.set(key, ids);
    }
    this.setExpiry(id, row);
  }

  setExpiry(id: string, row: Row): void {
    this.expiry.set(`s:${id}`, row.expiresAt);
    if (row.userId !== null) this.refreshIndexExpiry(row.userId);
  }

  /** An index key lives as long as its longest-lived session. */
  refreshIndexExpiry(userId: string): void {
    const key = `u:${userId}`;
    const ids = this.index.get(key);
    if (!ids) return;
    let latest = 0;
    for (const member of ids)
      latest = Math.max(latest, this.rows.get(`s:${member}`)?.expiresAt ?? 0);
    this.expiry.set(key, latest);
  }

  remove(id: string): void {
    const row = this.rows.get(`s:${id}`);
    this.rows.delete(`s:${id}`);
    this.expiry.delete(`s:${id}`);
    if (row?.userId != null) this.unindex(id, row.userId);
  }

  unindex(id: string, userId: string): void {
    const key = `u:${userId}`;
    const ids = this.index.get(key);
    ids?.delete(id);
    if (ids?.size === 0) {
      this.index.delete(key);
      this.expiry.delete(key);
    } else {
      this.refreshIndexExpiry(userId);
    }
  }
}

/** Raw access to a ReferenceStore's maps, as a Redis store's test would SCAN and PTTL. */
export function inspectReference(store: ReferenceStore): RawInspector {
  return {
    nativeExpiry: true,
    async entries() {
      // Like Redis, the backend never shows a key past its native expiry (by real time).
      for (const [key, expiresAt] of store.expiry) {
        if (expiresAt !== null && expiresAt <= Date.now()) {
          store.expiry.delete(key);
          store.rows.delete(key);
          store.index.delete(key);
        }
      }
      const rows = [...store.rows].map(([key, row]) => ({
        key,
        raw: JSON.stringify({ ...row, data: Buffer.from(row.data).toString('latin1') }),
        expiresAt: store.expiry.get(key) ?? null,
      }));
      const index = [...store.index].map(([key, ids]) => ({
        key,
        raw: JSON.stringify([...ids]),
        expiresAt: store.expiry.get(key) ?? null,
      }));
      return [...rows, ...index];
    },
    async corrupt(id) {
      const row = store.rows.get(`s:${id}`);
      if (row) (row as { data: unknown }).data = null;
    },
  };
}

/**
 * The same raw access, for a reference store run as a backend without native expiry: what its
 * background cleanup (`cleanupIntervalMs`) removes is then the only way out for an expired entry
 * within a test (the "native" expiry runs on real time, which a test's sessions never reach).
 */
export function inspectReferenceWithCleanup(store: ReferenceStore): RawInspector {
  return { ...inspectReference(store), nativeExpiry: false };
}
