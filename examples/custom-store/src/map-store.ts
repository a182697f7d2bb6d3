import {
  assertValidId,
  assertValidRecord,
  type CallOptions,
  CorruptDataError,
  type CreateResult,
  InvalidInputError,
  type SessionRecord,
  type SessionUpdate,
  type StoreCapabilities,
  type StoredSession,
  type TouchableStore,
  throwIfAborted,
  type UpdateOptions,
  type UpdateResult,
} from '@hallpass/core';

/**
 * What the backend keeps for one session. It stands in for a document or a table row: data is
 * base64 text (as in a JSON column), so what is stored is always a copy of what was written.
 */
export interface Row {
  data: string;
  expiresAt: number;
  userId: string | null;
  createdAt: number;
  lastSeenAt: number;
  version: number;
}

export interface MapStoreOptions {
  /**
   * The "client": where rows live. Pass your own to share it or to look inside it in tests;
   * the store never clears it, not even in close(). Default: a new Map.
   */
  backend?: Map<string, Row>;
  /** Prefix of every key, so several stores can share one backend. Default `session:`. */
  prefix?: string;
  /** How often rows past their expiry are deleted, in ms; 0 disables. Default 60 000. */
  cleanupIntervalMs?: number;
  /**
   * What every expiry decision reads, in epoch milliseconds. Default `Date.now`. The
   * conformance suite passes a clock it moves forward, so its expiry tests do not sleep.
   */
  clock?: () => number;
}

/**
 * A hallpass store over a Map: the required methods, compare-and-set and touch. It declares
 * no iteration and no per-user index, so the conformance suite skips those tests and says so.
 *
 * Every method validates its input with core's helpers, checks the AbortSignal before it
 * touches the backend, never returns an expired row, and does its check-and-write without an
 * `await` in between, which is what makes create and compare-and-set atomic here. A store over
 * a network backend gets the same guarantee from the server: `SET NX`, `INSERT ... ON CONFLICT
 * DO NOTHING`, `UPDATE ... WHERE version = $expected`.
 */
export class MapStore implements TouchableStore {
  readonly capabilities: StoreCapabilities = {
    versioned: true,
    iterate: false,
    userIndex: false,
    touch: true,
  };

  readonly #rows: Map<string, Row>;
  readonly #prefix: string;
  readonly #clock: () => number;
  #cleanup: NodeJS.Timeout | undefined;

  constructor(options: MapStoreOptions = {}) {
    this.#rows = options.backend ?? new Map();
    this.#prefix = options.prefix ?? 'session:';
    this.#clock = options.clock ?? Date.now;
    const interval = options.cleanupIntervalMs ?? 60_000;
    if (interval > 0) {
      this.#cleanup = setInterval(() => this.deleteExpired(), interval);
      // A cleanup timer must never keep the process alive.
      this.#cleanup.unref();
    }
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    const row = this.#live(id);
    return row ? toSession(id, row) : null;
  }

  async create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    assertValidRecord(record);
    if (this.#live(id)) return { ok: false, reason: 'exists' };
    // A record that is already expired is not persisted (there is nothing to find later).
    if (record.expiresAt > this.#clock()) {
      this.#rows.set(this.#key(id), { ...record, data: encode(record.data), version: 1 });
    }
    return { ok: true, version: 1 };
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    assertValidRecord(changes);
    // Never recreate: a session that expired, was deleted or revoked stays gone.
    const row = this.#live(id);
    if (!row) return { ok: false, reason: 'missing' };
    if (options?.expectedVersion !== undefined && options.expectedVersion !== row.version) {
      return { ok: false, reason: 'conflict' };
    }
    const version = row.version + 1;
    if (changes.expiresAt <= this.#clock()) {
      this.#rows.delete(this.#key(id));
    } else {
      this.#rows.set(this.#key(id), {
        ...changes,
        data: encode(changes.data),
        createdAt: row.createdAt,
        version,
      });
    }
    return { ok: true, version };
  }

  async touch(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    if (!Number.isFinite(expiresAt) || !Number.isFinite(lastSeenAt)) {
      throw new InvalidInputError('expiresAt and lastSeenAt must be finite epoch milliseconds');
    }
    const row = this.#live(id);
    if (!row) return false;
    if (expiresAt <= this.#clock()) {
      this.#rows.delete(this.#key(id));
    } else {
      // Same data, same version: touch only moves the expiry and the last-seen time.
      this.#rows.set(this.#key(id), { ...row, expiresAt, lastSeenAt });
    }
    return true;
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    this.#rows.delete(this.#key(id));
  }

  /** Deletes the rows past their expiry; returns how many. The cleanup timer calls it. */
  deleteExpired(): number {
    const now = this.#clock();
    let removed = 0;
    for (const [key, row] of this.#rows) {
      if (key.startsWith(this.#prefix) && !(row.expiresAt > now)) {
        this.#rows.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Stops the cleanup timer. The backend was passed in (or is garbage once unreferenced). */
  async close(): Promise<void> {
    clearInterval(this.#cleanup);
    this.#cleanup = undefined;
  }

  #key(id: string): string {
    return this.#prefix + id;
  }

  /** The row of a live session. An expired row is treated as absent (and dropped right away). */
  #live(id: string): Row | undefined {
    const row = this.#rows.get(this.#key(id));
    if (!row) return undefined;
    // Written as `!(x > now)` so a NaN left by a broken writer also counts as expired.
    if (!(row.expiresAt > this.#clock())) {
      this.#rows.delete(this.#key(id));
      return undefined;
    }
    return row;
  }
}

function encode(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/** Turns a row back into a session; a row that does not hold what we wrote is corrupt. */
function toSession(id: string, row: Row): StoredSession {
  if (typeof row.data !== 'string') {
    throw new CorruptDataError(
      `session ${id}: data is ${row.data === null ? 'null' : typeof row.data}`,
    );
  }
  for (const field of ['createdAt', 'lastSeenAt', 'version'] as const) {
    if (typeof row[field] !== 'number' || !Number.isFinite(row[field])) {
      throw new CorruptDataError(`session ${id}: ${field} is not a number`);
    }
  }
  return {
    id,
    data: new Uint8Array(Buffer.from(row.data, 'base64')),
    expiresAt: row.expiresAt,
    userId: row.userId,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    version: row.version,
  };
}
