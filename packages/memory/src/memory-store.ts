import {
  BaseStore,
  type CleanupOptions,
  type CommonStoreOptions,
  type CreateResult,
  type RowRecord,
  type RowUpdate,
  type SessionRecord,
  type SessionRow,
  type StoreCall,
  type UpdateResult,
  type WriteCall,
} from '@hallpass/core/store';
import { Capacity, type HeldSessions, type WhenFull } from './capacity.js';

export interface MemoryStoreOptions extends CommonStoreOptions, CleanupOptions {
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
  whenFull?: WhenFull | undefined;
  /** @deprecated Use `cleanupIntervalMs` (the name every store uses). */
  sweepIntervalMs?: number | undefined;
}

interface Entry extends SessionRecord {
  version: number;
}

/**
 * A Store that keeps sessions in this process. Lost on restart and not shared between
 * processes: for development, tests and single-instance apps. Expired sessions are swept every
 * `cleanupIntervalMs` (default 60 000; the timer is unref'd), and read as gone before that.
 */
export class MemoryStore extends BaseStore {
  readonly #sessions = new Map<string, Entry>();
  readonly #byUser = new Map<string, Set<string>>();
  /**
   * One set per running iteration: the ids inserted since it began. Held weakly: an iteration
   * dropped unfinished (its generator never returned) is forgotten once garbage-collected,
   * instead of collecting ids for ever.
   */
  readonly #iterations = new Set<WeakRef<Set<string>>>();
  readonly #capacity: Capacity;
  // Stryker disable all: the maxSessions bound, memory's own option (capacity.ts, packages/memory/test)
  readonly #held: HeldSessions = {
    count: () => this.#sessions.size,
    sweep: () => this.sweep(),
    removeOldest: () => {
      const oldest = this.#sessions.keys().next();
      if (oldest.done) return false;
      this.#remove(oldest.value);
      return true;
    },
  };
  // Stryker restore all

  constructor(options: MemoryStoreOptions = {}) {
    super({
      ...options,
      name: 'memory',
      cleanupIntervalMs: options.cleanupIntervalMs ?? options.sweepIntervalMs,
      defaultCleanupIntervalMs: 60_000,
      // One sweep visits every session anyway: no batches.
      defaultCleanupBatchSize: Number.MAX_SAFE_INTEGER,
      // rowPages meets every id once (see there): the kit need not remember them all.
      // Stryker disable next-line BooleanLiteral: equivalent, the kit's own de-duplication of ids yields the same sessions
      uniqueRowPages: true,
    });
    this.#capacity = new Capacity(options.maxSessions, options.whenFull);
  }

  /**
   * Sessions held right now, in O(1). Sessions that expired since the last sweep (at most
   * `cleanupIntervalMs` ago) are counted until the sweep, or a read of them, removes them.
   */
  // Stryker disable next-line all: memory's own API, not the Store contract (packages/memory/test)
  get size(): number {
    return this.#sessions.size;
  }

  /** Removes every expired session now; returns how many. The cleanup timer calls this. */
  sweep(): number {
    const now = this.clock();
    let removed = 0;
    for (const [id, entry] of this.#sessions) {
      if (entry.expiresAt <= now) {
        this.#remove(id);
        removed++;
      }
    }
    return removed;
  }

  protected readRow(id: string, call: StoreCall): SessionRow | undefined {
    const entry = this.#live(id, call.now);
    return entry && { id, ...entry };
  }

  protected insertRow(id: string, record: RowRecord, call: StoreCall): CreateResult {
    if (this.#live(id, call.now)) return { ok: false, reason: 'exists' };
    // Stryker disable next-line all: the maxSessions bound, memory's own option (capacity.ts, packages/memory/test)
    this.#capacity.makeRoom(this.#held, call.now);
    // An exact-size copy of its own: a long-lived entry must not pin the caller's buffer.
    this.#sessions.set(id, { ...record, data: new Uint8Array(record.data), version: 1 });
    this.#index(id, record.userId);
    // Stryker disable all: the branches differ only once the garbage collector has dropped an abandoned iteration, which no test can force (left out with them: the loop's mutants that stop recording inserted ids, which the iteration-termination test kills)
    for (const ref of this.#iterations) {
      const inserted = ref.deref();
      if (inserted) inserted.add(id);
      else this.#iterations.delete(ref);
    }
    // Stryker restore all
    return { ok: true, version: 1 };
  }

  protected updateRow(id: string, changes: RowUpdate, call: WriteCall): UpdateResult {
    const entry = this.#matching(id, call);
    if (!entry) return this.#refusal(id, call);
    // Re-indexed only when the owner changes, which few updates do (a sign-in makes a new row).
    // Stryker disable next-line ConditionalExpression: equivalent, re-indexing under the same user leaves the index as it was
    if (changes.userId !== entry.userId) {
      this.#unindex(id, entry.userId);
      this.#index(id, changes.userId);
    }
    // Changed in place, not re-inserted: a running iteration must not meet it twice.
    entry.data = new Uint8Array(changes.data);
    entry.expiresAt = changes.expiresAt;
    entry.userId = changes.userId;
    entry.lastSeenAt = changes.lastSeenAt;
    entry.version++;
    return { ok: true, version: entry.version };
  }

  protected expireRow(id: string, call: WriteCall): UpdateResult {
    const entry = this.#matching(id, call);
    if (!entry) return this.#refusal(id, call);
    this.#remove(id);
    return { ok: true, version: entry.version + 1 };
  }

  protected override touchRow(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    call: StoreCall,
  ): boolean {
    const entry = this.#live(id, call.now);
    if (!entry) return false;
    entry.expiresAt = expiresAt;
    entry.lastSeenAt = lastSeenAt;
    return true;
  }

  protected deleteRow(id: string): void {
    this.#remove(id);
  }

  /**
   * Walks the map itself, one page at a time: no copy of its ids. Map iterators stay valid
   * while the map changes: entries present throughout are visited once, deleted ones are
   * skipped, and inserted ones are appended, in insertion order. So from the first session
   * inserted since the iteration began, every later one was too: the walk stops there. It never
   * meets an id twice (one deleted and created again is appended) and ends even while sessions
   * are created as fast as it walks.
   */
  protected override async *rowPages(pageSize: number): AsyncIterable<SessionRow[]> {
    const inserted = new Set<string>();
    const registration = new WeakRef(inserted);
    // Stryker disable BlockStatement: the empty finally block below is equivalent (see there); the walk's other blocks, killed when emptied, are left out with it
    this.#iterations.add(registration);
    try {
      let page: SessionRow[] = [];
      for (const [id, entry] of this.#sessions) {
        if (inserted.has(id)) break;
        page.push({ id, ...entry });
        // Stryker disable next-line all: equivalent, page boundaries are not observable through iterate (the kit yields session by session)
        if (page.length >= pageSize) {
          yield page;
          page = [];
        }
      }
      // Stryker disable next-line all: equivalent, the kit skips an empty page
      if (page.length > 0) yield page;
    } finally {
      // Stryker disable next-line all: equivalent, a finished iteration left registered collects ids until it is garbage-collected
      this.#iterations.delete(registration);
    }
  }

  // Stryker restore BlockStatement
  protected override userRows(userId: string, call: StoreCall): SessionRow[] {
    const rows: SessionRow[] = [];
    // Stryker disable next-line ArrayDeclaration: equivalent, an id no session has is read as no session
    for (const id of this.#byUser.get(userId) ?? []) {
      const entry = this.#live(id, call.now);
      if (entry) rows.push({ id, ...entry });
    }
    return rows;
  }

  protected override deleteUserRows(
    userId: string,
    except: string | undefined,
    call: StoreCall,
  ): number {
    let removed = 0;
    // Stryker disable next-line ArrayDeclaration: equivalent, an id no session has is neither live nor removed
    for (const id of [...(this.#byUser.get(userId) ?? [])]) {
      if (id === except) continue;
      if (this.#live(id, call.now)) removed++;
      this.#remove(id);
    }
    return removed;
  }

  protected override deleteExpiredRows(): number {
    return this.sweep();
  }

  #live(id: string, now: number): Entry | undefined {
    const entry = this.#sessions.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry;
    this.#remove(id);
    return undefined;
  }

  /** The live entry, if its version is the expected one (when given). */
  #matching(id: string, call: WriteCall): Entry | undefined {
    const entry = this.#live(id, call.now);
    const expected = call.expectedVersion;
    return entry && (expected === undefined || entry.version === expected) ? entry : undefined;
  }

  #refusal(id: string, call: WriteCall): UpdateResult {
    return this.#live(id, call.now)
      ? { ok: false, reason: 'conflict' }
      : { ok: false, reason: 'missing' };
  }

  #remove(id: string): void {
    const entry = this.#sessions.get(id);
    if (!entry) return;
    this.#sessions.delete(id);
    this.#unindex(id, entry.userId);
    // A running iteration needs only the inserted ids still held: its sets stay as small.
    // Stryker disable next-line OptionalChaining: reached only once the garbage collector has dropped an abandoned iteration, which no test can force
    for (const ref of this.#iterations) ref.deref()?.delete(id);
  }

  #index(id: string, userId: string | null): void {
    // Stryker disable next-line ConditionalExpression: equivalent, an index entry under null is never asked for (listByUser refuses a null user id)
    if (userId === null) return;
    const ids = this.#byUser.get(userId) ?? new Set<string>();
    ids.add(id);
    this.#byUser.set(userId, ids);
  }

  #unindex(id: string, userId: string | null): void {
    // Stryker disable next-line ConditionalExpression: equivalent, an anonymous session has no index entry to remove
    if (userId === null) return;
    const ids = this.#byUser.get(userId);
    // Stryker disable next-line OptionalChaining: equivalent, an indexed session's user always has a set
    ids?.delete(id);
    // Stryker disable next-line all: equivalent, dropping an emptied set only keeps the index small
    if (ids?.size === 0) this.#byUser.delete(userId);
  }
}
