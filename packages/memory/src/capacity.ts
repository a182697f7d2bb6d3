import { ConfigurationError, StoreUnavailableError } from '@hallpass/core/store';

/** What creating one more session does while the store holds `maxSessions`. */
export type WhenFull = 'reject' | 'evict-oldest';

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

/** The sessions a Capacity bounds: how many, and the two ways to make room. */
export interface HeldSessions {
  count(): number;
  /** Removes the expired sessions. */
  sweep(): void;
  /** Removes the longest-held session; false when there is none. */
  removeOldest(): boolean;
}

/**
 * The memory store's bound on the sessions it holds (options `maxSessions` and `whenFull`), so a
 * flood of new sessions cannot exhaust the process's memory. Not part of the Store contract: a
 * store of its own, tested by the memory package's own tests.
 */
export class Capacity {
  readonly #max: number;
  readonly #whenFull: WhenFull;
  #lastFullSweep = Number.NEGATIVE_INFINITY;

  constructor(maxSessions = DEFAULT_MAX_SESSIONS, whenFull: WhenFull = 'reject') {
    if (
      !(
        maxSessions === Number.POSITIVE_INFINITY ||
        (Number.isSafeInteger(maxSessions) && maxSessions > 0)
      )
    ) {
      throw new ConfigurationError(
        `maxSessions must be a positive integer or Infinity, got ${String(maxSessions)}`,
      );
    }
    if (whenFull !== 'reject' && whenFull !== 'evict-oldest') {
      throw new ConfigurationError(
        `whenFull must be 'reject' or 'evict-oldest', got ${JSON.stringify(whenFull)}`,
      );
    }
    this.#max = maxSessions;
    this.#whenFull = whenFull;
  }

  /** Makes room for one more session, or throws MemoryStoreFullError ('reject' when full). */
  makeRoom(held: HeldSessions, now: number): void {
    if (held.count() < this.#max) return;
    if (now - this.#lastFullSweep >= FULL_SWEEP_INTERVAL_MS) {
      this.#lastFullSweep = now;
      held.sweep();
    }
    if (this.#whenFull === 'reject') {
      if (held.count() >= this.#max) throw new MemoryStoreFullError(this.#max);
      return;
    }
    while (held.count() >= this.#max && held.removeOldest()) {
      // Each pass removed one: the loop ends once there is room.
    }
  }
}
