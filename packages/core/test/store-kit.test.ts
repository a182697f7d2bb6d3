import diagnosticsChannel from 'node:diagnostics_channel';
import { describe, expect, it, vi } from 'vitest';
import {
  BaseStore,
  CorruptDataError,
  type CorruptDataEvent,
  type CreateResult,
  InvalidInputError,
  type RowRecord,
  type RowUpdate,
  type SessionRow,
  StoreAbortedError,
  type StoreCall,
  StoreLifecycle,
  type StoreSettings,
  StoreUnavailableError,
  type UpdateResult,
  type WriteCall,
} from '../src/store.js';
import { manualClock } from './support/clock.js';
import { NOW, record } from './support/kit-records.js';
import { MinimalStore } from './support/minimal-store.js';

const ID = 'a'.repeat(43);

/**
 * A store on a Map written only with primitives, as a store author would write one. Rows are
 * kept as given (no copies, no checks), so every rule the tests see is the kit's. The spies
 * count what reached the primitives.
 */
class RowStore extends BaseStore {
  readonly rows = new Map<string, SessionRow>();
  readonly calls: string[] = [];
  /** What the next primitive call throws, or a promise it waits for. */
  fail: unknown;
  hang: Promise<void> | undefined;
  /** The most rows pageRows returns, whatever it is asked (a backend's own cap). */
  cap = Number.POSITIVE_INFINITY;
  closed = 0;
  /** Hands out rows whatever their expiry, like a store comparing with `>=` instead of `>`. */
  lax = false;

  constructor(settings: Partial<StoreSettings> = {}) {
    super({ name: 'rows', cleanupIntervalMs: 0, ...settings });
  }

  async #enter(name: string): Promise<void> {
    this.calls.push(name);
    await this.hang;
    if (this.fail !== undefined) throw this.fail;
  }

  #live(id: string, now: number): SessionRow | undefined {
    const row = this.rows.get(id);
    return row && (this.lax || Number(row.expiresAt) > now) ? row : undefined;
  }

  /** What a store's own write path does with a value it cannot read. */
  report(id: string, error: CorruptDataError): void {
    this.reportCorruptData(id, error);
  }

  protected async readRow(id: string, call: StoreCall) {
    await this.#enter('readRow');
    return this.#live(id, call.now);
  }

  protected async insertRow(id: string, r: RowRecord, call: StoreCall): Promise<CreateResult> {
    await this.#enter('insertRow');
    if (this.#live(id, call.now)) return { ok: false, reason: 'exists' };
    this.rows.set(id, { id, ...r, version: 1 });
    return { ok: true, version: 1 };
  }

  protected async updateRow(id: string, c: RowUpdate, call: WriteCall): Promise<UpdateResult> {
    await this.#enter('updateRow');
    const row = this.#live(id, call.now);
    if (!row) return { ok: false, reason: 'missing' };
    const version = Number(row.version) + 1;
    this.rows.set(id, { ...row, ...c, version });
    return { ok: true, version };
  }

  protected async expireRow(id: string, call: WriteCall): Promise<UpdateResult> {
    await this.#enter('expireRow');
    const row = this.#live(id, call.now);
    if (!row) return { ok: false, reason: 'missing' };
    this.rows.delete(id);
    return { ok: true, version: Number(row.version) + 1 };
  }

  protected async deleteRow(id: string): Promise<void> {
    await this.#enter('deleteRow');
    this.rows.delete(id);
  }

  protected override async touchRow(id: string, expiresAt: number, lastSeenAt: number) {
    await this.#enter('touchRow');
    const row = this.rows.get(id);
    if (row) Object.assign(row, { expiresAt, lastSeenAt });
    return row !== undefined;
  }

  protected override async pageRows(after: string, limit: number) {
    await this.#enter('pageRows');
    return [...this.rows.values()]
      .filter((row) => row.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, Math.min(limit, this.cap));
  }

  protected override async userRows(userId: string) {
    await this.#enter('userRows');
    // Deliberately loose, like a case-insensitive collation: the kit must keep exact matches.
    return [...this.rows.values()].filter(
      (row) => String(row.userId).toLowerCase() === userId.toLowerCase(),
    );
  }

  protected override async deleteUserRows(userId: string, except: string | undefined) {
    await this.#enter('deleteUserRows');
    let removed = 0;
    for (const row of this.rows.values()) {
      if (row.userId === userId && row.id !== except && this.rows.delete(row.id)) removed++;
    }
    return removed;
  }

  protected override async deleteExpiredRows(limit: number, call: StoreCall) {
    await this.#enter('deleteExpiredRows');
    const expired = [...this.rows.values()].filter((row) => Number(row.expiresAt) <= call.now);
    for (const row of expired.slice(0, limit)) this.rows.delete(row.id);
    return Math.min(expired.length, limit);
  }

  protected override async closeBackend() {
    this.closed++;
    if (this.fail !== undefined) throw this.fail;
  }
}

function storeAt(settings: Partial<StoreSettings> = {}) {
  const clock = manualClock(NOW);
  return { store: new RowStore({ clock, ...settings }), clock };
}

describe('BaseStore: the store-author kit', () => {
  it('derives the capabilities from the primitives a store implements', () => {
    const minimal = new MinimalStore({ name: 'minimal', versioned: false });
    expect(minimal.capabilities).toEqual({
      versioned: false,
      iterate: false,
      userIndex: false,
      touch: false,
    });
    expect(storeAt().store.capabilities).toEqual({
      versioned: true,
      iterate: true,
      userIndex: true,
      touch: true,
    });
    return expect(minimal.listByUser('u')).rejects.toBeInstanceOf(InvalidInputError);
  });

  describe('validates every argument before a primitive runs', () => {
    const bad: Array<[string, (store: RowStore) => Promise<unknown>]> = [
      ['an id with a slash', (s) => s.find('a/b')],
      ['an empty id', (s) => s.delete('')],
      ['data that is not bytes', (s) => s.create(ID, record({ data: 'x' as never }))],
      ['a NaN expiry', (s) => s.create(ID, record({ expiresAt: Number.NaN }))],
      ['a time no Date can hold', (s) => s.update(ID, record({ expiresAt: 9e15 }))],
      ['an empty user id', (s) => s.listByUser('')],
      ['a bad except id', (s) => s.deleteByUser('u', { except: 'no way' })],
      ['a touch to Infinity', (s) => s.touch(ID, Number.POSITIVE_INFINITY, NOW)],
      ['a string version', (s) => s.update(ID, record(), { expectedVersion: '1' as never })],
      ['a zero page size', (s) => s.iterate({ pageSize: 0 })[Symbol.asyncIterator]().next()],
      ['a fractional batch size', (s) => s.deleteExpired({ batchSize: 1.5 })],
    ];
    for (const [what, call] of bad) {
      it(what, async () => {
        const { store } = storeAt();
        await expect(call(store)).rejects.toBeInstanceOf(InvalidInputError);
        expect(store.calls).toEqual([]);
      });
    }

    it('data over maxDataBytes', async () => {
      const { store } = storeAt({ maxDataBytes: 2 });
      await expect(store.create(ID, record())).rejects.toMatchObject({
        name: 'RecordTooLargeError',
      });
      expect(store.calls).toEqual([]);
    });
  });

  describe('abort', () => {
    it('an aborted signal rejects with StoreAbortedError and reaches no primitive', async () => {
      const { store } = storeAt();
      const signal = AbortSignal.abort();
      await expect(store.find(ID, { signal })).rejects.toBeInstanceOf(StoreAbortedError);
      await expect(store.create(ID, record(), { signal })).rejects.toBeInstanceOf(
        StoreAbortedError,
      );
      expect(store.calls).toEqual([]);
    });

    it('a signal firing while the backend is stalled rejects at once', async () => {
      const { store } = storeAt();
      store.hang = new Promise(() => {});
      const controller = new AbortController();
      const pending = store.find(ID, { signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toBeInstanceOf(StoreAbortedError);
    });

    it('iteration stops with StoreAbortedError when its signal fires between sessions', async () => {
      const { store } = storeAt();
      for (const id of ['a', 'b', 'c']) await store.create(id, record());
      const controller = new AbortController();
      const seen: string[] = [];
      await expect(
        (async () => {
          for await (const session of store.iterate({ signal: controller.signal })) {
            seen.push(session.id);
            controller.abort();
          }
        })(),
      ).rejects.toBeInstanceOf(StoreAbortedError);
      expect(seen).toEqual(['a']);
    });
  });

  describe('error mapping', () => {
    it('a driver error is StoreUnavailableError naming store and call, with the error as cause', async () => {
      const { store } = storeAt();
      const cause = new Error('connection reset');
      store.fail = cause;
      const error = await store.find(ID).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ message: 'rows find: connection reset', cause });
    });

    it("the store's classifier picks the kind and may say more", async () => {
      const { store } = storeAt({
        classifyError: (e) =>
          (e as { code?: string }).code === 'RANGE'
            ? 'invalid-input'
            : { kind: 'unavailable', message: 'the table is missing; run the migration' },
      });
      store.fail = Object.assign(new Error('out of range'), { code: 'RANGE' });
      await expect(store.delete(ID)).rejects.toBeInstanceOf(InvalidInputError);
      store.fail = new Error('no such table');
      await expect(store.delete(ID)).rejects.toThrow(
        'rows delete: the table is missing; run the migration',
      );
    });

    it('a StoreError a primitive throws passes through unchanged', async () => {
      const { store } = storeAt();
      const own = new CorruptDataError('mine');
      store.fail = own;
      await expect(store.delete(ID)).rejects.toBe(own);
    });
  });

  describe('close', () => {
    it('is idempotent, also concurrently, and releases the backend once', async () => {
      const { store } = storeAt();
      await Promise.all([store.close(), store.close()]);
      await store.close();
      expect(store.closed).toBe(1);
    });

    it('a backend that fails to close rejects close() with StoreUnavailableError naming the call', async () => {
      const { store } = storeAt();
      const cause = new Error('socket hang up');
      store.fail = cause;
      const closing = store.close();
      await expect(closing).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(closing).rejects.toThrow('rows close: socket hang up');
      await expect(closing).rejects.toHaveProperty('cause', cause);
    });

    it('every call after close rejects with StoreUnavailableError, reaching no primitive', async () => {
      const { store } = storeAt();
      await store.close();
      await expect(store.find(ID)).rejects.toThrow(StoreUnavailableError);
      await expect(store.create(ID, record())).rejects.toThrow('rows create: the store is closed');
      await expect(store.iterate()[Symbol.asyncIterator]().next()).rejects.toThrow(
        StoreUnavailableError,
      );
      expect(store.calls).toEqual([]);
    });
  });

  describe('expiry', () => {
    it('a create whose expiry has passed persists nothing', async () => {
      const { store } = storeAt();
      expect(await store.create(ID, record({ expiresAt: NOW }))).toEqual({ ok: true, version: 1 });
      expect(store.calls).not.toContain('insertRow');
      expect(store.rows.size).toBe(0);
    });

    it('an expired create on a live id is `exists` and leaves the live session alone', async () => {
      const { store } = storeAt();
      await store.create(ID, record());
      expect(await store.create(ID, record({ expiresAt: NOW - 1 }))).toEqual({
        ok: false,
        reason: 'exists',
      });
      expect(await store.find(ID)).not.toBeNull();
    });

    it('an update or touch to a past expiry removes the session', async () => {
      const { store } = storeAt();
      await store.create(ID, record());
      expect(await store.update(ID, record({ expiresAt: NOW }))).toEqual({ ok: true, version: 2 });
      expect(store.rows.size).toBe(0);
      await store.create(ID, record());
      expect(await store.touch(ID, NOW - 5, NOW)).toBe(true);
      expect(store.rows.size).toBe(0);
      expect(store.calls.filter((c) => c === 'expireRow')).toHaveLength(2);
    });

    it('a row whose expiresAt equals now is never returned, whatever the primitive hands back', async () => {
      const { store } = storeAt();
      store.lax = true;
      store.rows.set(ID, { id: ID, ...record({ expiresAt: NOW }), version: 1 });
      expect(await store.find(ID)).toBeNull();
      expect(await store.listByUser('user-1')).toEqual([]);
    });
  });

  describe('reads', () => {
    it('every read path hands out copies; a view with an offset is written as its own bytes', async () => {
      const { store } = storeAt();
      const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
      await store.create(ID, record({ data: backing.subarray(2, 5) }));
      const stored = store.rows.get(ID)?.data as Uint8Array;
      expect([...stored]).toEqual([1, 2, 3]);
      const found = await store.find(ID);
      const listed = await store.listByUser('user-1');
      const iterated = [];
      for await (const session of store.iterate()) iterated.push(session);
      for (const session of [found, listed[0], iterated[0]]) {
        if (!session) throw new Error('a read path returned nothing');
        expect(session.data).not.toBe(stored);
        session.data.fill(0);
      }
      expect([...stored]).toEqual([1, 2, 3]);
    });

    it('listByUser keeps exact user matches only, sorted by creation then id', async () => {
      const { store } = storeAt();
      await store.create('b', record({ createdAt: NOW }));
      await store.create('a', record({ createdAt: NOW }));
      await store.create('c', record({ createdAt: NOW - 1 }));
      await store.create('d', record({ userId: 'USER-1' }));
      const listed = await store.listByUser('user-1');
      expect(listed.map((s) => s.id)).toEqual(['c', 'a', 'b']);
    });

    it('iteration yields everything when the backend caps a page below pageSize', async () => {
      const { store } = storeAt({ maxPageSize: 3 });
      store.cap = 3;
      const ids = Array.from({ length: 10 }, (_, i) => `s${i}`);
      for (const id of ids) await store.create(id, record());
      const seen = [];
      for await (const session of store.iterate({ pageSize: 100 })) seen.push(session.id);
      expect(seen.sort()).toEqual([...ids].sort());
    });

    it('numeric strings and bigints from a driver read as numbers', async () => {
      const { store } = storeAt();
      store.rows.set(ID, {
        id: ID,
        ...record(),
        expiresAt: String(NOW + 1000),
        version: 7n,
      });
      expect(await store.find(ID)).toMatchObject({ expiresAt: NOW + 1000, version: 7 });
    });
  });

  describe('corrupt data: find rejects, listings skip and report', () => {
    function corrupted() {
      const events: CorruptDataEvent[] = [];
      const { store } = storeAt({ onCorruptData: (event) => events.push(event) });
      store.rows.set(ID, { id: ID, ...record(), data: 'not bytes', version: 1 });
      store.rows.set('ok', { id: 'ok', ...record(), version: 1 });
      return { store, events };
    }

    it('find rejects with CorruptDataError', async () => {
      const { store, events } = corrupted();
      await expect(store.find(ID)).rejects.toBeInstanceOf(CorruptDataError);
      expect(events).toEqual([]);
    });

    it('listByUser and iterate skip the row and report it to onCorruptData and the channel', async () => {
      const { store, events } = corrupted();
      const published: unknown[] = [];
      const listener = (message: unknown) => published.push(message);
      diagnosticsChannel.subscribe('hallpass:store:corrupt-data', listener);
      try {
        expect((await store.listByUser('user-1')).map((s) => s.id)).toEqual(['ok']);
        const iterated = [];
        for await (const session of store.iterate()) iterated.push(session.id);
        expect(iterated).toEqual(['ok']);
      } finally {
        diagnosticsChannel.unsubscribe('hallpass:store:corrupt-data', listener);
      }
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({ store: 'rows', id: ID });
      expect(events[0]?.error).toBeInstanceOf(CorruptDataError);
      expect(published).toEqual(events);
    });

    it('the deprecated onCorruptRow still hears of skipped rows, with the error alone', async () => {
      const errors: CorruptDataError[] = [];
      const { store } = storeAt({ onCorruptRow: (error) => errors.push(error) });
      store.rows.set(ID, { id: ID, ...record(), version: Number.NaN });
      expect(await store.listByUser('user-1')).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(CorruptDataError);
    });

    it('a store reports what it skips on its own through the same listener and channel', () => {
      const events: CorruptDataEvent[] = [];
      const { store } = storeAt({ onCorruptData: (event) => events.push(event) });
      const published: unknown[] = [];
      const listener = (message: unknown) => published.push(message);
      diagnosticsChannel.subscribe('hallpass:store:corrupt-data', listener);
      const error = new CorruptDataError('unreadable on update');
      try {
        store.report(ID, error);
      } finally {
        diagnosticsChannel.unsubscribe('hallpass:store:corrupt-data', listener);
      }
      expect(events).toEqual([{ store: 'rows', id: ID, error }]);
      expect(published).toEqual(events);
    });

    it('a throwing onCorruptData does not fail the listing', async () => {
      const { store } = storeAt({
        onCorruptData: () => {
          throw new Error('logger down');
        },
      });
      store.rows.set(ID, { id: ID, ...record(), version: 'seven' });
      await expect(store.listByUser('user-1')).resolves.toEqual([]);
    });

    it('without onCorruptData a skipped row is a process warning', async () => {
      const { store } = storeAt();
      store.rows.set(ID, { id: ID, ...record(), createdAt: null, version: 1 });
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      try {
        await store.listByUser('user-1');
        expect(warn).toHaveBeenCalledWith(expect.stringContaining(ID), {
          code: 'HALLPASS_CORRUPT_DATA',
        });
      } finally {
        warn.mockRestore();
      }
    });
  });

  describe('cleanup', () => {
    it('deleteExpired deletes in batches by the store clock', async () => {
      const { store, clock } = storeAt();
      for (const id of ['a', 'b', 'c']) await store.create(id, record());
      clock.advance(60_000);
      expect(await store.deleteExpired({ batchSize: 2 })).toBe(3);
      expect(store.calls.filter((c) => c === 'deleteExpiredRows')).toHaveLength(2);
    });

    it('runs on cleanupIntervalMs and stops on close', async () => {
      const { store } = storeAt({ cleanupIntervalMs: 10 });
      await vi.waitFor(() => expect(store.calls).toContain('deleteExpiredRows'), {
        timeout: 1_000,
      });
      await store.close();
      const count = store.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(store.calls.length).toBe(count);
    });

    it('refuses a bad cleanupBatchSize or cleanupIntervalMs', () => {
      expect(() => new RowStore({ cleanupBatchSize: 0 })).toThrow('cleanupBatchSize');
      expect(() => new RowStore({ cleanupIntervalMs: -1 })).toThrow('cleanupIntervalMs');
      // A timer cannot wait for ever: Node would run it after 1 ms.
      expect(() => new RowStore({ cleanupIntervalMs: Number.POSITIVE_INFINITY })).toThrow(
        'cleanupIntervalMs',
      );
    });

    it('a failing background cleanup reaches onCleanupError as the StoreUnavailableError of its deleteExpired', async () => {
      const errors: unknown[] = [];
      const { store } = storeAt({ cleanupIntervalMs: 10, onCleanupError: (e) => errors.push(e) });
      const cause = new Error('connection reset');
      store.fail = cause;
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 1_000 });
      expect(errors[0]).toBeInstanceOf(StoreUnavailableError);
      expect((errors[0] as Error).message).toBe('rows deleteExpired: connection reset');
      expect((errors[0] as Error).cause).toBe(cause);
      store.fail = undefined;
      await store.close();
    });

    it('without onCleanupError a failing background cleanup is swallowed, and it goes on', async () => {
      const { store } = storeAt({ cleanupIntervalMs: 10 });
      store.fail = new Error('connection reset');
      await vi.waitFor(
        () =>
          expect(store.calls.filter((c) => c === 'deleteExpiredRows').length).toBeGreaterThan(1),
        { timeout: 1_000 },
      );
      store.fail = undefined;
      await store.close();
    });

    it('an interval beyond what a timer holds (2^31 ms) waits the longest a timer can, not 1 ms', async () => {
      const { store } = storeAt({ cleanupIntervalMs: 2 ** 31 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(store.calls).not.toContain('deleteExpiredRows');
      await store.close();
    });
  });
});

describe('StoreLifecycle: the close rule of stores and of wrappers', () => {
  it('releases once however often close is called, and refuses every call after it', async () => {
    const lifecycle = new StoreLifecycle('wrapper');
    let released = 0;
    const release = async () => {
      released++;
    };
    lifecycle.enter('find', undefined);
    expect(lifecycle.closed).toBe(false);
    await Promise.all([lifecycle.close(release), lifecycle.close(release)]);
    await lifecycle.close(release);
    expect(released).toBe(1);
    expect(lifecycle.closed).toBe(true);
    expect(() => lifecycle.enter('find', undefined)).toThrow(StoreUnavailableError);
    expect(() => lifecycle.enter('find', undefined)).toThrow('wrapper find: the store is closed');
  });

  it('refuses a call whose signal has fired, open or not', () => {
    const lifecycle = new StoreLifecycle('wrapper');
    expect(() => lifecycle.enter('find', AbortSignal.abort())).toThrow(StoreAbortedError);
  });
});
