import {
  BaseStore,
  type CleanupOptions,
  type CommonStoreOptions,
  type CreateResult,
  type RowRecord,
  type RowUpdate,
  type SessionRow,
  type StoreCall,
  type UpdateResult,
  type WriteCall,
} from '@hallpass/core/store';

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

export interface MapStoreOptions extends CommonStoreOptions, CleanupOptions {
  /**
   * The "client": where rows live. Pass your own to share it or to look inside it in tests;
   * the store never clears it, not even in close(). Default: a new Map.
   */
  backend?: Map<string, Row>;
  /** Prefix of every key, so several stores can share one backend. Default `session:`. */
  prefix?: string;
}

/**
 * A hallpass store over a Map: the required methods, compare-and-set, touch and cleanup. It
 * declares no iteration and no per-user index (it writes no pageRows nor userRows), so the
 * conformance suite skips those tests and says so.
 *
 * BaseStore, the kit in `@hallpass/core/store`, does everything that is the same in every
 * store: it validates the input, checks the AbortSignal, reads the clock once per call, turns
 * writes whose expiry has passed into "persist nothing" or "remove", checks and copies every
 * row read back (a row that does not hold what was written is CorruptDataError), maps errors,
 * runs the cleanup timer and makes close() idempotent. What is left here is the backend: each
 * primitive does its check-and-write without an `await` in between, which is what makes create
 * and compare-and-set atomic. A store over a network backend gets the same guarantee from the
 * server: `SET NX`, `INSERT ... ON CONFLICT DO NOTHING`, `UPDATE ... WHERE version = $expected`.
 */
export class MapStore extends BaseStore {
  readonly #rows: Map<string, Row>;
  readonly #prefix: string;

  constructor(options: MapStoreOptions = {}) {
    super({ ...options, name: 'map', defaultCleanupIntervalMs: 60_000 });
    this.#rows = options.backend ?? new Map();
    this.#prefix = options.prefix ?? 'session:';
  }

  protected async readRow(id: string, call: StoreCall): Promise<SessionRow | undefined> {
    const row = this.#live(id, call.now);
    // Data that is not our base64 text is handed on as is: the kit reports it as corrupt.
    return row && { ...row, id, data: typeof row.data === 'string' ? decode(row.data) : row.data };
  }

  protected async insertRow(id: string, record: RowRecord, call: StoreCall): Promise<CreateResult> {
    if (this.#live(id, call.now)) return { ok: false, reason: 'exists' };
    this.#rows.set(this.#key(id), { ...record, data: encode(record.data), version: 1 });
    return { ok: true, version: 1 };
  }

  protected async updateRow(
    id: string,
    changes: RowUpdate,
    call: WriteCall,
  ): Promise<UpdateResult> {
    const row = this.#live(id, call.now);
    // Never recreate: a session that expired, was deleted or revoked stays gone.
    if (!row) return { ok: false, reason: 'missing' };
    if (call.expectedVersion !== undefined && call.expectedVersion !== row.version) {
      return { ok: false, reason: 'conflict' };
    }
    const version = row.version + 1;
    const data = encode(changes.data);
    this.#rows.set(this.#key(id), { ...changes, data, createdAt: row.createdAt, version });
    return { ok: true, version };
  }

  /** An update to a past expiry: the same checks, then the row goes. */
  protected async expireRow(id: string, call: WriteCall): Promise<UpdateResult> {
    const row = this.#live(id, call.now);
    if (!row) return { ok: false, reason: 'missing' };
    if (call.expectedVersion !== undefined && call.expectedVersion !== row.version) {
      return { ok: false, reason: 'conflict' };
    }
    this.#rows.delete(this.#key(id));
    return { ok: true, version: row.version + 1 };
  }

  protected override async touchRow(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    call: StoreCall,
  ): Promise<boolean> {
    const row = this.#live(id, call.now);
    if (!row) return false;
    // Same data, same version: touch only moves the expiry and the last-seen time.
    this.#rows.set(this.#key(id), { ...row, expiresAt, lastSeenAt });
    return true;
  }

  protected async deleteRow(id: string): Promise<void> {
    this.#rows.delete(this.#key(id));
  }

  /** Deletes rows past their expiry; the kit calls it on `cleanupIntervalMs` and from deleteExpired(). */
  protected override async deleteExpiredRows(limit: number, call: StoreCall): Promise<number> {
    let removed = 0;
    for (const [key, row] of this.#rows) {
      if (removed >= limit) break;
      if (key.startsWith(this.#prefix) && !(row.expiresAt > call.now)) {
        this.#rows.delete(key);
        removed++;
      }
    }
    return removed;
  }

  #key(id: string): string {
    return this.#prefix + id;
  }

  /** The row of a live session. An expired row is treated as absent (and dropped right away). */
  #live(id: string, now: number): Row | undefined {
    const row = this.#rows.get(this.#key(id));
    if (!row) return undefined;
    // Written as `!(x > now)` so a NaN left by a broken writer also counts as expired.
    if (!(row.expiresAt > now)) {
      this.#rows.delete(this.#key(id));
      return undefined;
    }
    return row;
  }
}

function encode(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

function decode(data: string): Uint8Array {
  return Buffer.from(data, 'base64');
}
