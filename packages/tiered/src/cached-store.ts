import {
  assertValidId,
  assertValidTouch,
  type CallOptions,
  type CreateResult,
  type DeleteByUserOptions,
  type IterableStore,
  type SessionRecord,
  type SessionUpdate,
  type Store,
  type StoreCapabilities,
  type StoredSession,
  supports,
  type TouchableStore,
  type UpdateOptions,
  type UpdateResult,
  type UserIndexStore,
} from '@hallpass/core';
import { resolveClock, StoreLifecycle } from '@hallpass/core/store';
import { iterateChecked, wrappedCapabilities } from './guards.js';
import { InFlight } from './in-flight.js';
import { nonNegativeInteger } from './option-checks.js';
import { SessionCache } from './session-cache.js';

export interface CachedStoreOptions {
  /**
   * Most sessions held in the cache; caching one more drops the least recently used.
   * 0 disables the cache. Default 10 000.
   */
  maxEntries?: number | undefined;
  /**
   * Longest time, in ms, a cached session is served without asking the shared store. This is
   * the window in which a logout or revocation made by ANOTHER process may go unseen here;
   * revocations made through this store are seen at once. 0 disables the cache. Default 1000.
   */
  maxStalenessMs?: number | undefined;
  /** Also close the wrapped store when this one is closed. Default false. */
  closeInner?: boolean | undefined;
  /**
   * The clock the cache's staleness and expiry checks read, in epoch milliseconds. Default
   * `Date.now`. Give it the same clock as the wrapped store and the SessionManager.
   */
  clock?: (() => number) | undefined;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_STALENESS_MS = 1_000;

/**
 * A small in-process cache in front of a shared store: reads are served from the cache for up
 * to `maxStalenessMs`, everything else goes to the shared store, which alone decides whether a
 * write applies (update-only, compare-and-set). So a stale cache can delay seeing another
 * process's revocation by at most `maxStalenessMs`, but can never bring a revoked session back.
 *
 * It declares the capabilities of the wrapped store; the methods of a capability the wrapped
 * store lacks are absent here too.
 */
export class CachedStore implements Store {
  readonly capabilities: StoreCapabilities;
  declare readonly touch?: TouchableStore['touch'];
  declare readonly iterate?: IterableStore['iterate'];
  declare readonly listByUser?: UserIndexStore['listByUser'];
  declare readonly deleteByUser?: UserIndexStore['deleteByUser'];

  readonly #inner: Store;
  readonly #cache: SessionCache;
  readonly #flights = new InFlight();
  readonly #closeInner: boolean;
  readonly #clock: () => number;
  readonly #lifecycle = new StoreLifecycle('cached');

  constructor(inner: Store, options: CachedStoreOptions = {}) {
    this.#inner = inner;
    this.#cache = new SessionCache(
      nonNegativeInteger('maxEntries', options.maxEntries, DEFAULT_MAX_ENTRIES),
      nonNegativeInteger('maxStalenessMs', options.maxStalenessMs, DEFAULT_MAX_STALENESS_MS),
    );
    this.#closeInner = options.closeInner ?? false;
    this.#clock = resolveClock(options.clock);
    this.capabilities = wrappedCapabilities(inner);
    const self = this as {
      -readonly [K in 'touch' | 'iterate' | 'listByUser' | 'deleteByUser']?: CachedStore[K];
    };
    if (supports(inner, 'touch')) {
      self.touch = (id, expiresAt, lastSeenAt, callOptions) =>
        this.#touch(inner, id, expiresAt, lastSeenAt, callOptions);
    }
    if (supports(inner, 'iterate')) {
      // Iteration is for jobs, not requests: it always reads the shared store.
      self.iterate = (iterateOptions) => iterateChecked(inner, this.#lifecycle, iterateOptions);
    }
    if (supports(inner, 'userIndex')) {
      self.listByUser = async (userId, callOptions) => {
        this.#lifecycle.enter('listByUser', callOptions?.signal);
        return inner.listByUser(userId, callOptions);
      };
      self.deleteByUser = (userId, deleteOptions) =>
        this.#deleteByUser(inner, userId, deleteOptions);
    }
  }

  /** Sessions held in the cache right now, including copies too old to be served. */
  get cachedSessions(): number {
    return this.#cache.size;
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    this.#lifecycle.enter('find', options?.signal);
    assertValidId(id);
    const started = this.#clock();
    const hit = this.#cache.get(id, started);
    if (hit) return hit;
    const flight = this.#flights.begin(id, false);
    try {
      const found = await this.#inner.find(id, options);
      if (found && !flight.stale) this.#cache.set(found, started);
      else this.#cache.delete(id);
      return found;
    } catch (error) {
      this.#cache.delete(id);
      throw error;
    } finally {
      this.#flights.end(flight);
    }
  }

  async create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    return this.#write(
      'create',
      id,
      options,
      () => this.#inner.create(id, record, options),
      (result) => (result.ok ? stored(id, record, record.createdAt, result.version) : null),
    );
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    // createdAt never changes, so a cached copy of any age supplies it.
    const createdAt = this.#cache.peek(id)?.createdAt;
    return this.#write(
      'update',
      id,
      options,
      () => this.#inner.update(id, changes, options),
      (result) =>
        result.ok && createdAt !== undefined
          ? stored(id, changes, createdAt, result.version)
          : null,
    );
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    await this.#write(
      'delete',
      id,
      options,
      () => this.#inner.delete(id, options),
      () => null,
    );
  }

  /** Empties the cache (and closes the wrapped store with `closeInner`). Idempotent; later calls reject. */
  close(): Promise<void> {
    return this.#lifecycle.close(async () => {
      this.#cache.clear();
      if (this.#closeInner) await this.#inner.close?.();
    });
  }

  /**
   * Writes through to the shared store, then caches what it now holds (`written`), or drops
   * the cached copy when that is unknown: a failed write, a lost race, an overlapping write.
   */
  async #write<R>(
    operation: string,
    id: string,
    options: CallOptions | undefined,
    call: () => Promise<R>,
    written: (result: R) => StoredSession | null,
  ): Promise<R> {
    this.#lifecycle.enter(operation, options?.signal);
    const started = this.#clock();
    const flight = this.#flights.begin(id, true);
    let session: StoredSession | null = null;
    try {
      const result = await call();
      session = written(result);
      return result;
    } finally {
      this.#flights.end(flight);
      // A write with an expiry already past removed (or never stored) the session.
      if (session && !flight.stale && session.expiresAt > this.#clock()) {
        this.#cache.set(session, started);
      } else {
        this.#cache.delete(id);
      }
    }
  }

  async #touch(
    inner: TouchableStore,
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    this.#lifecycle.enter('touch', options?.signal);
    assertValidTouch(id, expiresAt, lastSeenAt);
    const flight = this.#flights.begin(id, true);
    let alive = false;
    try {
      alive = await inner.touch(id, expiresAt, lastSeenAt, options);
      return alive;
    } finally {
      this.#flights.end(flight);
      // A touch does not change the data, so the cached copy keeps its age: only its
      // expiry and last-seen time move.
      if (alive && !flight.stale && expiresAt > this.#clock()) {
        this.#cache.patch(id, expiresAt, lastSeenAt);
      } else {
        this.#cache.delete(id);
      }
    }
  }

  async #deleteByUser(
    inner: UserIndexStore,
    userId: string,
    options?: DeleteByUserOptions,
  ): Promise<number> {
    this.#lifecycle.enter('deleteByUser', options?.signal);
    try {
      return await inner.deleteByUser(userId, options);
    } finally {
      // Even after a failure part of it may have been applied. Reads still in flight may
      // have seen one of the user's sessions before it went, whatever their id.
      this.#flights.markAllStale();
      this.#cache.deleteUser(userId, options?.except);
    }
  }
}

/** What the shared store now holds after a successful write, field by field (no extras). */
function stored(
  id: string,
  written: SessionUpdate,
  createdAt: number,
  version: number,
): StoredSession {
  const { data, expiresAt, userId, lastSeenAt } = written;
  return { id, data, expiresAt, userId, createdAt, lastSeenAt, version };
}
