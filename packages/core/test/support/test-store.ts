import {
  type CallOptions,
  type CreateResult,
  type DeleteByUserOptions,
  type SessionRecord,
  type SessionUpdate,
  StoreAbortedError,
  type StoreCapabilities,
  type StoredSession,
  StoreUnavailableError,
  type UpdateOptions,
  type UpdateResult,
} from '../../src/index.js';

/**
 * A store for the manager's own tests: it counts every call and can be told to fail, so the
 * tests can see what the manager asks of a store. Real stores are tested by the
 * conformance suite in their own packages.
 */
export class TestStore {
  capabilities: StoreCapabilities = {
    versioned: true,
    iterate: true,
    userIndex: true,
    touch: true,
  };
  readonly rows = new Map<string, StoredSession>();
  /** Judges liveness by the same clock as the manager under test. */
  constructor(readonly clock: () => number = Date.now) {}

  readonly calls: string[] = [];
  down = false;
  /** While true every call waits until its signal fires: a backend that stopped answering. */
  stalled = false;
  /** Methods that stall even while `stalled` is false. */
  readonly stalling = new Set<string>();
  /** The calls that ended by their signal, by method name. */
  readonly aborted: string[] = [];
  /** Runs before each update is applied: lets a test slip a concurrent write in between. */
  beforeUpdate: ((id: string) => Promise<void>) | undefined;

  count(method: string): number {
    return this.calls.filter((call) => call === method).length;
  }

  async #stall(method: string, options?: CallOptions): Promise<void> {
    if (!this.stalled && !this.stalling.has(method)) return;
    const signal = options?.signal;
    if (!signal)
      throw new Error(`stalled ${method} called without a signal: it would hang forever`);
    await new Promise((_, reject) => {
      const abort = () => {
        this.aborted.push(method);
        reject(new StoreAbortedError(signal.reason));
      };
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    });
  }

  #enter(method: string, options?: CallOptions): void {
    this.calls.push(method);
    if (options?.signal?.aborted) throw options.signal.reason;
    if (this.down) throw new StoreUnavailableError('test store is down');
  }

  #live(id: string): StoredSession | undefined {
    const row = this.rows.get(id);
    return row && row.expiresAt > this.clock() ? row : undefined;
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    this.#enter('find', options);
    await this.#stall('find', options);
    const row = this.#live(id);
    return row ? { ...row, data: row.data.slice() } : null;
  }

  async create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    this.#enter('create', options);
    await this.#stall('create', options);
    if (this.#live(id)) return { ok: false, reason: 'exists' };
    this.rows.set(id, { ...record, id, version: 1, data: record.data.slice() });
    return { ok: true, version: 1 };
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    this.#enter('update', options);
    await this.#stall('update', options);
    await this.beforeUpdate?.(id);
    const row = this.#live(id);
    if (!row) return { ok: false, reason: 'missing' };
    if (options?.expectedVersion !== undefined && options.expectedVersion !== row.version) {
      return { ok: false, reason: 'conflict' };
    }
    const version = row.version + 1;
    this.rows.set(id, { ...row, ...changes, data: changes.data.slice(), version });
    return { ok: true, version };
  }

  async touch(id: string, expiresAt: number, lastSeenAt: number, options?: CallOptions) {
    this.#enter('touch', options);
    await this.#stall('touch', options);
    const row = this.#live(id);
    if (!row) return false;
    row.expiresAt = expiresAt;
    row.lastSeenAt = lastSeenAt;
    return true;
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    this.#enter('delete', options);
    await this.#stall('delete', options);
    this.rows.delete(id);
  }

  async listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    this.#enter('listByUser', options);
    await this.#stall('listByUser', options);
    return [...this.rows.values()]
      .filter((row) => row.userId === userId && row.expiresAt > this.clock())
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    this.#enter('deleteByUser', options);
    await this.#stall('deleteByUser', options);
    let removed = 0;
    for (const row of [...this.rows.values()]) {
      if (row.userId === userId && row.id !== options?.except) {
        this.rows.delete(row.id);
        removed++;
      }
    }
    return removed;
  }

  async *iterate(): AsyncIterable<StoredSession> {
    for (const row of [...this.rows.values()]) if (row.expiresAt > this.clock()) yield row;
  }
}
