import type { StoredSession } from '@hallpass/core';

interface CacheEntry {
  session: StoredSession;
  /**
   * When the call that produced this copy started. Counting from the start, not the answer,
   * keeps the staleness bound honest: the shared store may have changed right after it began.
   */
  cachedAt: number;
}

/**
 * A bounded, least-recently-used map of session copies that refuses to hand out a copy older
 * than `maxStalenessMs` or past the session's own expiry. A Map keeps insertion order, so
 * re-inserting on every hit keeps the least recently used entry first, where eviction looks.
 */
export class SessionCache {
  readonly #entries = new Map<string, CacheEntry>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxStalenessMs: number,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** A copy of the cached session, or undefined if it is absent, too old or expired. */
  get(id: string, now: number): StoredSession | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    if (now - entry.cachedAt >= this.maxStalenessMs || entry.session.expiresAt <= now) {
      return undefined;
    }
    this.#entries.set(id, entry);
    return copy(entry.session);
  }

  set(session: StoredSession, cachedAt: number): void {
    this.#entries.delete(session.id);
    if (this.maxEntries === 0 || this.maxStalenessMs === 0) return;
    this.#entries.set(session.id, { session: copy(session), cachedAt });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) return;
      this.#entries.delete(oldest.value);
    }
  }

  /** The cached session regardless of age, for fields that never change (createdAt). */
  peek(id: string): StoredSession | undefined {
    return this.#entries.get(id)?.session;
  }

  /** Applies a touch to the cached copy without making it look fresher than it is. */
  patch(id: string, expiresAt: number, lastSeenAt: number): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.session = { ...entry.session, expiresAt, lastSeenAt };
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }

  /** Drops every cached session of `userId` but `except`. */
  deleteUser(userId: string, except: string | undefined): void {
    for (const [id, entry] of this.#entries) {
      if (entry.session.userId === userId && id !== except) this.#entries.delete(id);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}

/**
 * Callers may mutate the bytes they get; the cache's copy must not change with them. Not
 * `data.slice()`: on a Buffer (which a wrapped store may return) `slice` is a view.
 */
function copy(session: StoredSession): StoredSession {
  return { ...session, data: new Uint8Array(session.data) };
}
