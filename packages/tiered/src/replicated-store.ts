import {
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
import { StoreLifecycle } from '@hallpass/core/store';
import { iterateChecked, wrappedCapabilities } from './guards.js';
import { copyFromPrimary, upsert } from './replication.js';

/** What failed to reach one secondary. The primary write it copies had succeeded. */
export interface ReplicationFailure {
  operation: 'create' | 'update' | 'touch' | 'delete' | 'deleteByUser';
  /** The session id, or null for deleteByUser. */
  sessionId: string | null;
  /** The user id, for deleteByUser; null otherwise. */
  userId: string | null;
  /** The secondary that failed, as passed to the constructor, and its position there. */
  secondary: Store;
  index: number;
  error: unknown;
}

export interface ReplicatedStoreOptions {
  /**
   * Called for every write that reached the primary but not a secondary. Replication never
   * fails the request; this is where you learn a secondary drifted. A listener that throws
   * is ignored. Default: a process warning (code HALLPASS_REPLICATION_FAILED).
   */
  onReplicationError?: ((failure: ReplicationFailure) => void) | undefined;
  /** Also close the primary and the secondaries when this store is closed. Default false. */
  closeInner?: boolean | undefined;
}

/**
 * Writes to a primary store, then copies each successful write to the secondaries. The
 * primary's answer is the answer; reads only ever go to the primary. Secondaries are
 * best-effort copies (a warm standby, or the destination of a migration between stores):
 * a write is awaited on every secondary before it resolves, but a secondary that fails or
 * refuses is reported through `onReplicationError` and never fails the request.
 *
 * It declares the capabilities of the primary; the methods of a capability the primary lacks
 * are absent here too. Secondaries need no capability: what they lack is replicated with the
 * required methods.
 */
export class ReplicatedStore implements Store {
  readonly capabilities: StoreCapabilities;
  declare readonly touch?: TouchableStore['touch'];
  declare readonly iterate?: IterableStore['iterate'];
  declare readonly listByUser?: UserIndexStore['listByUser'];
  declare readonly deleteByUser?: UserIndexStore['deleteByUser'];

  readonly #primary: Store;
  readonly #secondaries: readonly Store[];
  readonly #onError: (failure: ReplicationFailure) => void;
  readonly #closeInner: boolean;
  readonly #lifecycle = new StoreLifecycle('replicated');

  constructor(primary: Store, secondaries: readonly Store[], options: ReplicatedStoreOptions = {}) {
    this.#primary = primary;
    this.#secondaries = [...secondaries];
    this.#onError = options.onReplicationError ?? warn;
    this.#closeInner = options.closeInner ?? false;
    this.capabilities = wrappedCapabilities(primary);
    const self = this as {
      -readonly [K in 'touch' | 'iterate' | 'listByUser' | 'deleteByUser']?: ReplicatedStore[K];
    };
    if (supports(primary, 'touch')) {
      self.touch = (id, expiresAt, lastSeenAt, callOptions) =>
        this.#touch(primary, id, expiresAt, lastSeenAt, callOptions);
    }
    if (supports(primary, 'iterate')) {
      self.iterate = (iterateOptions) => iterateChecked(primary, this.#lifecycle, iterateOptions);
    }
    if (supports(primary, 'userIndex')) {
      self.listByUser = async (userId, callOptions) => {
        this.#lifecycle.enter('listByUser', callOptions?.signal);
        return primary.listByUser(userId, callOptions);
      };
      self.deleteByUser = (userId, deleteOptions) =>
        this.#deleteByUser(primary, userId, deleteOptions);
    }
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    this.#lifecycle.enter('find', options?.signal);
    return this.#primary.find(id, options);
  }

  async create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    this.#lifecycle.enter('create', options?.signal);
    const result = await this.#primary.create(id, record, options);
    if (result.ok) {
      await this.#replicate('create', id, null, (secondary) => upsert(secondary, id, record));
    }
    return result;
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    this.#lifecycle.enter('update', options?.signal);
    const result = await this.#primary.update(id, changes, options);
    if (result.ok) {
      // Versions differ between stores, so secondaries take the change unconditionally; one
      // that never had the session (it predates replication) gets a full copy instead.
      await this.#replicate('update', id, null, async (secondary) => {
        const copied = await secondary.update(id, changes);
        if (!copied.ok) await copyFromPrimary(this.#primary, secondary, id);
      });
    }
    return result;
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    this.#lifecycle.enter('delete', options?.signal);
    await this.#primary.delete(id, options);
    await this.#replicate('delete', id, null, (secondary) => secondary.delete(id));
  }

  /** With `closeInner`, closes the primary and the secondaries. Idempotent; later calls reject. */
  close(): Promise<void> {
    return this.#lifecycle.close(async () => {
      if (!this.#closeInner) return;
      await Promise.all([this.#primary, ...this.#secondaries].map((store) => store.close?.()));
    });
  }

  async #touch(
    primary: TouchableStore,
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    this.#lifecycle.enter('touch', options?.signal);
    assertValidTouch(id, expiresAt, lastSeenAt);
    const alive = await primary.touch(id, expiresAt, lastSeenAt, options);
    if (alive) {
      await this.#replicate('touch', id, null, async (secondary) => {
        const touched =
          supports(secondary, 'touch') && (await secondary.touch(id, expiresAt, lastSeenAt));
        if (!touched) await copyFromPrimary(this.#primary, secondary, id);
      });
    }
    return alive;
  }

  async #deleteByUser(
    primary: UserIndexStore,
    userId: string,
    options?: DeleteByUserOptions,
  ): Promise<number> {
    this.#lifecycle.enter('deleteByUser', options?.signal);
    // Secondaries without a user index are told which ids to delete, so those are read
    // before the primary forgets them.
    const unindexed = this.#secondaries.some((secondary) => !supports(secondary, 'userIndex'));
    const ids = unindexed
      ? (await primary.listByUser(userId, options))
          .map((session) => session.id)
          .filter((id) => id !== options?.except)
      : [];
    const removed = await primary.deleteByUser(userId, options);
    await this.#replicate('deleteByUser', null, userId, async (secondary) => {
      if (supports(secondary, 'userIndex')) {
        await secondary.deleteByUser(userId, { except: options?.except });
      } else {
        for (const id of ids) await secondary.delete(id);
      }
    });
    return removed;
  }

  /**
   * Applies `copy` to every secondary at once and waits for all of them. Secondaries get no
   * abort signal: once the primary has changed, cancelling the copy would only leave them
   * further behind.
   */
  async #replicate(
    operation: ReplicationFailure['operation'],
    sessionId: string | null,
    userId: string | null,
    copy: (secondary: Store) => Promise<unknown>,
  ): Promise<void> {
    await Promise.all(
      this.#secondaries.map(async (secondary, index) => {
        try {
          await copy(secondary);
        } catch (error) {
          try {
            this.#onError({ operation, sessionId, userId, secondary, index, error });
          } catch {
            // A broken listener must not fail a write the primary has already accepted.
          }
        }
      }),
    );
  }
}

function warn(failure: ReplicationFailure): void {
  const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
  process.emitWarning(
    `hallpass: ${failure.operation} was not replicated to secondary ${failure.index}: ${reason}`,
    { code: 'HALLPASS_REPLICATION_FAILED' },
  );
}
