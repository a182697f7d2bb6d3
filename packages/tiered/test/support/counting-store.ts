import type {
  CallOptions,
  DeleteByUserOptions,
  IterateOptions,
  SessionRecord,
  SessionUpdate,
  StoredSession,
  UpdateOptions,
} from '@hallpass/core';
import { MemoryStore, type MemoryStoreOptions } from '@hallpass/memory';

export type Method =
  | 'find'
  | 'create'
  | 'update'
  | 'delete'
  | 'touch'
  | 'iterate'
  | 'listByUser'
  | 'deleteByUser'
  | 'close';

/**
 * A real MemoryStore that counts the calls it receives, so tests can see which calls a
 * wrapper answered itself and which reached the store behind it.
 */
export class CountingStore extends MemoryStore {
  readonly calls = new Map<Method, number>();

  constructor(options: MemoryStoreOptions = {}) {
    super({ cleanupIntervalMs: 0, ...options });
  }

  count(method: Method): number {
    return this.calls.get(method) ?? 0;
  }

  #record(method: Method): void {
    this.calls.set(method, this.count(method) + 1);
  }

  override find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    this.#record('find');
    return super.find(id, options);
  }

  override create(id: string, record: SessionRecord, options?: CallOptions) {
    this.#record('create');
    return super.create(id, record, options);
  }

  override update(id: string, changes: SessionUpdate, options?: UpdateOptions) {
    this.#record('update');
    return super.update(id, changes, options);
  }

  override delete(id: string, options?: CallOptions): Promise<void> {
    this.#record('delete');
    return super.delete(id, options);
  }

  override touch(id: string, expiresAt: number, lastSeenAt: number, options?: CallOptions) {
    this.#record('touch');
    return super.touch(id, expiresAt, lastSeenAt, options);
  }

  override iterate(options?: IterateOptions): AsyncIterable<StoredSession> {
    this.#record('iterate');
    return super.iterate(options);
  }

  override listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    this.#record('listByUser');
    return super.listByUser(userId, options);
  }

  override deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    this.#record('deleteByUser');
    return super.deleteByUser(userId, options);
  }

  override close(): Promise<void> {
    this.#record('close');
    return super.close();
  }
}
