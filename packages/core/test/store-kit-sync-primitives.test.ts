import { describe, expect, it } from 'vitest';
import {
  BaseStore,
  type CreateResult,
  type RowRecord,
  type RowUpdate,
  type SessionRow,
  StoreAbortedError,
  type StoreCall,
  type StoreSettings,
  StoreUnavailableError,
  type UpdateResult,
  type WriteCall,
} from '../src/store.js';
import { manualClock } from './support/clock.js';
import { NOW, record } from './support/kit-records.js';

const ID = 'b'.repeat(43);

/**
 * A store over an in-process Map whose primitives answer synchronously, as memory and SQLite
 * do: no promise anywhere. `rowData` decides the bytes each read hands the kit.
 */
class SyncStore extends BaseStore {
  readonly rows = new Map<string, Omit<SessionRow, 'data'> & { data: Uint8Array }>();
  /** Thrown by the next primitive, synchronously. */
  fail: unknown;
  rowData: (stored: Uint8Array) => Uint8Array = (stored) => stored;

  constructor(settings: Partial<StoreSettings> = {}) {
    super({ name: 'sync', cleanupIntervalMs: 0, clock: manualClock(NOW), ...settings });
  }

  #check(): void {
    if (this.fail !== undefined) throw this.fail;
  }

  #read(id: string, now: number): SessionRow | undefined {
    const row = this.rows.get(id);
    return row && Number(row.expiresAt) > now
      ? { ...row, data: this.rowData(row.data) }
      : undefined;
  }

  protected readRow(id: string, call: StoreCall): SessionRow | undefined {
    this.#check();
    return this.#read(id, call.now);
  }

  protected insertRow(id: string, record: RowRecord, call: StoreCall): CreateResult {
    this.#check();
    if (this.#read(id, call.now)) return { ok: false, reason: 'exists' };
    this.rows.set(id, { id, ...record, data: new Uint8Array(record.data), version: 1 });
    return { ok: true, version: 1 };
  }

  protected updateRow(id: string, changes: RowUpdate, call: WriteCall): UpdateResult {
    this.#check();
    const row = this.rows.get(id);
    if (!row || !this.#read(id, call.now)) return { ok: false, reason: 'missing' };
    const version = Number(row.version) + 1;
    this.rows.set(id, { ...row, ...changes, data: new Uint8Array(changes.data), version });
    return { ok: true, version };
  }

  protected expireRow(id: string, call: WriteCall): UpdateResult {
    this.#check();
    const row = this.#read(id, call.now);
    this.rows.delete(id);
    return row ? { ok: true, version: Number(row.version) + 1 } : { ok: false, reason: 'missing' };
  }

  protected deleteRow(id: string): void {
    this.#check();
    this.rows.delete(id);
  }

  protected override touchRow(id: string, expiresAt: number, lastSeenAt: number): boolean {
    this.#check();
    const row = this.rows.get(id);
    if (row) Object.assign(row, { expiresAt, lastSeenAt });
    return row !== undefined;
  }

  protected override userRows(userId: string, call: StoreCall): SessionRow[] {
    this.#check();
    return [...this.rows.keys()]
      .map((id) => this.#read(id, call.now))
      .filter((row): row is SessionRow => row?.userId === userId);
  }

  protected override deleteUserRows(userId: string): number {
    this.#check();
    const ids = [...this.rows.values()].filter((row) => row.userId === userId).map((r) => r.id);
    for (const id of ids) this.rows.delete(id);
    return ids.length;
  }
}

describe('BaseStore with primitives that answer synchronously', () => {
  it('runs every operation on plain values', async () => {
    const store = new SyncStore();
    expect(await store.create(ID, record())).toEqual({ ok: true, version: 1 });
    expect(await store.find(ID)).toMatchObject({ id: ID, version: 1, userId: 'user-1' });
    const changes = record({ data: new Uint8Array([9]) });
    expect(await store.update(ID, changes, { expectedVersion: 1 })).toEqual({
      ok: true,
      version: 2,
    });
    expect(await store.touch(ID, NOW + 120_000, NOW + 1)).toBe(true);
    expect((await store.find(ID))?.expiresAt).toBe(NOW + 120_000);
    expect((await store.listByUser('user-1')).map((s) => s.id)).toEqual([ID]);
    expect(await store.deleteByUser('user-1')).toBe(1);
    expect(await store.find(ID)).toBeNull();
    await store.create(ID, record());
    await store.delete(ID);
    expect(store.rows.size).toBe(0);
  });

  it('maps a primitive that throws to StoreUnavailableError, with the error as cause', async () => {
    const store = new SyncStore();
    const cause = new Error('disk I/O error');
    store.fail = cause;
    const error = await store.find(ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).cause).toBe(cause);
    await expect(store.update(ID, record())).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('rejects a call whose signal fires in the same turn, although the answer came at once', async () => {
    const store = new SyncStore();
    const controller = new AbortController();
    const pending = store.create(ID, record(), { signal: controller.signal });
    controller.abort(new Error('gone'));
    await expect(pending).rejects.toBeInstanceOf(StoreAbortedError);
  });
});

describe('freshRowData: bytes the backend allocated for the read', () => {
  it('hands the bytes out as they are when they fill their buffer', async () => {
    const handed: Uint8Array[] = [];
    const store = new SyncStore({ freshRowData: true });
    store.rowData = (stored) => {
      handed.push(new Uint8Array(stored));
      return handed.at(-1) as Uint8Array;
    };
    await store.create(ID, record());
    const found = await store.find(ID);
    expect(found?.data.buffer).toBe(handed.at(-1)?.buffer);
    expect([...(found?.data ?? [])]).toEqual([1, 2, 3]);
  });

  it('copies a slice of a larger buffer: its neighbours never reach the caller', async () => {
    const store = new SyncStore({ freshRowData: true });
    store.rowData = (stored) => {
      const pool = new Uint8Array(64).fill(0xee);
      pool.set(stored, 8);
      return pool.subarray(8, 8 + stored.length);
    };
    await store.create(ID, record());
    const found = await store.find(ID);
    expect([...(found?.data ?? [])]).toEqual([1, 2, 3]);
    expect(new Uint8Array(found?.data.buffer ?? new ArrayBuffer(0))).not.toContain(0xee);
  });

  it('is off by default: the bytes are copied, so the caller never writes into the store', async () => {
    const store = new SyncStore();
    await store.create(ID, record());
    const found = await store.find(ID);
    found?.data.fill(0);
    expect([...(store.rows.get(ID)?.data ?? [])]).toEqual([1, 2, 3]);
  });
});

describe('copies of the bytes read back', () => {
  it('never share bytes with one another, small or large', async () => {
    const store = new SyncStore();
    const large = new Uint8Array(5000).map((_, i) => i % 251);
    await store.create(ID, record());
    await store.create('c'.repeat(43), record({ data: large }));
    const reads = await Promise.all([store.find(ID), store.find(ID), store.find('c'.repeat(43))]);
    reads[0]?.data.fill(9);
    expect([...(reads[1]?.data ?? [])]).toEqual([1, 2, 3]);
    expect(reads[2]?.data).toEqual(large);
    reads[2]?.data.fill(0);
    expect(store.rows.get('c'.repeat(43))?.data).toEqual(large);
  });

  it('keep going when a slab fills up: each copy is whole and exactly its size', async () => {
    const store = new SyncStore();
    const data = new Uint8Array(1000).fill(5);
    await store.create(ID, record({ data }));
    const copies = [];
    for (let i = 0; i < 20; i++) copies.push(await store.find(ID));
    copies[0]?.data.fill(0);
    for (const copy of copies.slice(1)) expect(copy?.data).toEqual(data);
  });
});
