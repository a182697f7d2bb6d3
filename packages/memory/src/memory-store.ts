import {
  assertValidId,
  assertValidRecord,
  assertValidTouch,
  assertValidUserId,
  type CallOptions,
  type CreateResult,
  type DeleteByUserOptions,
  type IterableStore,
  type IterateOptions,
  resolveClock,
  type SessionRecord,
  type SessionUpdate,
  type StoreCapabilities,
  type StoredSession,
  StoreUnavailableError,
  type TouchableStore,
  throwIfAborted,
  type UpdateOptions,
  type UpdateResult,
  type UserIndexStore,
} from '@hallpass/core';

export interface MemoryStoreOptions {
  /**
   * Most sessions kept at once, so memory stays bounded under a flood of new sessions.
   * What happens to one more is `whenFull`. Default: 100 000 (tens of MiB, depending on
   * the data each session holds). `Infinity` removes the bound.
   */
  maxSessions?: number | undefined;
  /**
   * What creating a session does when `maxSessions` are held (after expired ones are swept):
   * - `'reject'` (default): it fails with {@link MemoryStoreFullError}, a
   *   StoreUnavailableError, so the adapters answer 503 and the sessions already held are
   *   kept. A flood of new sessions cannot sign anybody out.
   * - `'evict-oldest'`: the longest-held session is removed to make room (insertion order).
   *   Nothing fails, but a flood of new sessions signs the oldest users out.
   */
  whenFull?: 'reject' | 'evict-oldest' | undefined;
  /** Largest accepted session data in bytes; larger writes throw RecordTooLargeError. */
  maxDataBytes?: number | undefined;
  /** How often expired sessions are swept, in ms (jittered by up to 10%). 0 disables. Default 60 000. */
  sweepIntervalMs?: number | undefined;
  /**
   * The clock every expiry decision reads, in epoch milliseconds. Default `Date.now`. Give it
   * the SessionManager's clock so tests move time instead of sleeping; the sweeper's timer still
   * runs on real time but removes what this clock says has expired.
   */
  clock?: (() => number) | undefined;
}

interface Entry extends SessionRecord {
  version: number;
}

const DEFAULT_PAGE_SIZE = 1000;
export const DEFAULT_MAX_SESSIONS = 100_000;
/** While full, expired sessions are swept at most this often: a sweep visits every session. */
const FULL_SWEEP_INTERVAL_MS = 1000;

/** The store holds `maxSessions` sessions and `whenFull` is `'reject'`. */
export class MemoryStoreFullError extends StoreUnavailableError {
  readonly maxSessions: number;

  constructor(maxSessions: number) {
    super(`MemoryStore is full: it holds its maxSessions (${maxSessions}) sessions`);
    this.name = 'MemoryStoreFullError';
    this.maxSessions = maxSessions;
  }
}

/**
 * A Store that keeps sessions in this process. Lost on restart and not shared between
 * processes: for development, tests and single-instance apps.
 */
export class MemoryStore implements IterableStore, UserIndexStore, TouchableStore {
  readonly capabilities: StoreCapabilities = {
    versioned: true,
    iterate: true,
    userIndex: true,
    touch: true,
  };

  readonly #sessions = new Map<string, Entry>();
  readonly #byUser = new Map<string, Set<string>>();
  readonly #maxSessions: number;
  readonly #whenFull: 'reject' | 'evict-oldest';
  #lastFullSweep = Number.NEGATIVE_INFINITY;
  readonly #maxDataBytes: number | undefined;
  readonly #clock: () => number;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.#maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.#whenFull = options.whenFull ?? 'reject';
    this.#maxDataBytes = options.maxDataBytes;
    this.#clock = resolveClock(options.clock);
    const interval = options.sweepIntervalMs ?? 60_000;
    if (interval > 0) {
      const jittered = interval + Math.floor(Math.random() * interval * 0.1);
      this.#sweeper = setInterval(() => this.sweep(), jittered);
      this.#sweeper.unref();
    }
  }

  /**
   * Sessions held right now, in O(1). Sessions that expired since the last sweep (at most
   * `sweepIntervalMs` ago) are counted until the sweep, or a read of them, removes them.
   */
  get size(): number {
    return this.#sessions.size;
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    const entry = this.#live(id);
    return entry ? snapshot(id, entry) : null;
  }

  async create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    assertValidRecord(record, { maxDataBytes: this.#maxDataBytes });
    if (this.#live(id)) return { ok: false, reason: 'exists' };
    if (record.expiresAt <= this.#clock()) return { ok: true, version: 1 };
    this.#evictForRoom();
    this.#put(id, { ...record, data: ownCopy(record.data), version: 1 });
    return { ok: true, version: 1 };
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    assertValidRecord(changes, { maxDataBytes: this.#maxDataBytes });
    const entry = this.#live(id);
    if (!entry) return { ok: false, reason: 'missing' };
    const expected = options?.expectedVersion;
    if (expected !== undefined && expected !== entry.version) {
      return { ok: false, reason: 'conflict' };
    }
    const version = entry.version + 1;
    if (changes.expiresAt <= this.#clock()) {
      this.#remove(id);
      return { ok: true, version };
    }
    // Changed in place, not re-inserted: a running iteration must not meet it twice.
    this.#unindex(id, entry.userId);
    entry.data = ownCopy(changes.data);
    entry.expiresAt = changes.expiresAt;
    entry.userId = changes.userId;
    entry.lastSeenAt = changes.lastSeenAt;
    entry.version = version;
    this.#index(id, entry.userId);
    return { ok: true, version };
  }

  async touch(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    throwIfAborted(options?.signal);
    assertValidTouch(id, expiresAt, lastSeenAt);
    const entry = this.#live(id);
    if (!entry) return false;
    if (expiresAt <= this.#clock()) {
      this.#remove(id);
    } else {
      entry.expiresAt = expiresAt;
      entry.lastSeenAt = lastSeenAt;
    }
    return true;
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    this.#remove(id);
  }

  async *iterate(options?: IterateOptions): AsyncIterable<StoredSession> {
    throwIfAborted(options?.signal);
    const pageSize = options?.pageSize ?? DEFAULT_PAGE_SIZE;
    // Map iterators stay valid while the map changes: entries present throughout are
    // visited once, deleted ones are skipped. Yielding to the event loop between pages
    // keeps a large store from blocking other requests.
    let inPage = 0;
    for (const [id, entry] of this.#sessions) {
      throwIfAborted(options?.signal);
      if (entry.expiresAt > this.#clock()) yield snapshot(id, entry);
      if (++inPage >= pageSize) {
        inPage = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  async listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    throwIfAborted(options?.signal);
    assertValidUserId(userId);
    const result: StoredSession[] = [];
    for (const id of this.#byUser.get(userId) ?? []) {
      const entry = this.#live(id);
      if (entry) result.push(snapshot(id, entry));
    }
    return result.sort((a, b) => a.createdAt - b.createdAt);
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    throwIfAborted(options?.signal);
    assertValidUserId(userId);
    let removed = 0;
    for (const id of [...(this.#byUser.get(userId) ?? [])]) {
      if (id === options?.except) continue;
      if (this.#live(id)) removed++;
      this.#remove(id);
    }
    return removed;
  }

  /** Removes every expired session now; returns how many. The sweeper calls this. */
  sweep(): number {
    const now = this.#clock();
    let removed = 0;
    for (const [id, entry] of this.#sessions) {
      if (entry.expiresAt <= now) {
        this.#remove(id);
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  #live(id: string): Entry | undefined {
    const entry = this.#sessions.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt > this.#clock()) return entry;
    this.#remove(id);
    return undefined;
  }

  #put(id: string, entry: Entry): void {
    this.#sessions.set(id, entry);
    this.#index(id, entry.userId);
  }

  #remove(id: string): void {
    const entry = this.#sessions.get(id);
    if (!entry) return;
    this.#sessions.delete(id);
    this.#unindex(id, entry.userId);
  }

  #index(id: string, userId: string | null): void {
    if (userId === null) return;
    const ids = this.#byUser.get(userId) ?? new Set<string>();
    ids.add(id);
    this.#byUser.set(userId, ids);
  }

  #unindex(id: string, userId: string | null): void {
    if (userId === null) return;
    const ids = this.#byUser.get(userId);
    ids?.delete(id);
    if (ids?.size === 0) this.#byUser.delete(userId);
  }

  #evictForRoom(): void {
    if (this.#sessions.size < this.#maxSessions) return;
    const now = this.#clock();
    if (now - this.#lastFullSweep >= FULL_SWEEP_INTERVAL_MS) {
      this.#lastFullSweep = now;
      this.sweep();
    }
    if (this.#whenFull === 'reject') {
      if (this.#sessions.size >= this.#maxSessions)
        throw new MemoryStoreFullError(this.#maxSessions);
      return;
    }
    while (this.#sessions.size >= this.#maxSessions) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done) return;
      this.#remove(oldest.value);
    }
  }
}

/**
 * What a read returns. The stored bytes are never handed out: typed arrays cannot be frozen
 * (and Node has no immutable ArrayBuffer yet), so a caller writing into a returned buffer
 * would change the stored session (contract rule 1). The read copy is a Buffer, which for
 * sessions under 4 KiB is carved out of Node's shared allocation pool, several times cheaper
 * than a fresh ArrayBuffer (`slice()`). Writes keep exact-size copies (`slice()`): a long-lived
 * entry must not pin an 8 KiB pool slab.
 */
function snapshot(id: string, entry: Entry): StoredSession {
  return {
    id,
    data: Buffer.from(entry.data),
    expiresAt: entry.expiresAt,
    userId: entry.userId,
    createdAt: entry.createdAt,
    lastSeenAt: entry.lastSeenAt,
    version: entry.version,
  };
}

/**
 * The store's own exact-size copy of written bytes. Not `data.slice()`: on a Buffer (a
 * Uint8Array subclass callers may pass) `slice` is a view sharing the caller's memory.
 */
function ownCopy(data: Uint8Array): Uint8Array {
  return new Uint8Array(data);
}
