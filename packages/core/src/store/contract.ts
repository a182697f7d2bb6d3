/**
 * The Store contract. docs/store-contract.md is the prose version of this file, and
 * @hallpass/conformance checks every rule written here against a real store.
 *
 * A store keeps opaque bytes under an id. The id is derived from the session token by the
 * SessionManager (SHA-256, base64url), so a raw token never reaches a store and a leaked
 * store dump cannot be replayed as cookies.
 */

/** What is persisted for one session. All times are epoch milliseconds. */
export interface SessionRecord {
  /** Encoded session data; opaque to the store. */
  data: Uint8Array;
  /** Absolute expiry. The store never returns the session at or after this instant. */
  expiresAt: number;
  /** Owner of the session, for the per-user index; null for anonymous sessions. */
  userId: string | null;
  /** When the session was created. Set by create; update never changes it. */
  createdAt: number;
  /** The last request that wrote or touched the session. */
  lastSeenAt: number;
}

/** A record as read back, with its id and the version for compare-and-set. */
export interface StoredSession extends SessionRecord {
  id: string;
  /**
   * Changes on every create and update (not on touch). Stores without compare-and-set
   * still return a number; it is only meaningful when `capabilities.versioned` is true.
   */
  version: number;
}

/** What update writes: everything but the creation time. */
export type SessionUpdate = Omit<SessionRecord, 'createdAt'>;

export interface CallOptions {
  /** Cancels the call; the store rejects with StoreAbortedError and leaves nothing half-done. */
  signal?: AbortSignal | undefined;
}

export interface UpdateOptions extends CallOptions {
  /**
   * Compare-and-set: apply only if the stored version still equals this one. Ignored by
   * stores whose `capabilities.versioned` is false.
   */
  expectedVersion?: number | undefined;
}

export interface IterateOptions extends CallOptions {
  /** Sessions fetched per round trip; stores never hold more than one page in memory. */
  pageSize?: number | undefined;
}

export interface DeleteByUserOptions extends CallOptions {
  /** Keep this session id (for "sign out everywhere else"). */
  except?: string | undefined;
}

export type CreateResult = { ok: true; version: number } | { ok: false; reason: 'exists' };

/**
 * `missing`: no live session under the id (never created, expired, deleted or revoked);
 * the store did not recreate it. `conflict`: the expected version did not match.
 */
export type UpdateResult =
  | { ok: true; version: number }
  | { ok: false; reason: 'missing' | 'conflict' };

/** What a store can do beyond the required methods, discoverable at runtime. */
export interface StoreCapabilities {
  /** update honours `expectedVersion` atomically. */
  readonly versioned: boolean;
  /** `iterate` is implemented. */
  readonly iterate: boolean;
  /** `listByUser` and `deleteByUser` are implemented. */
  readonly userIndex: boolean;
  /** `touch` is implemented. */
  readonly touch: boolean;
}

/**
 * The required part of every store. Every method rejects with a StoreError subclass:
 * StoreUnavailableError, CorruptDataError, InvalidInputError or StoreAbortedError.
 */
export interface Store {
  readonly capabilities: StoreCapabilities;

  /** The live session under `id`, or null if it is missing or expired (even before cleanup). */
  find(id: string, options?: CallOptions): Promise<StoredSession | null>;

  /**
   * Persists a new session. Returns `exists` if a live session already has the id.
   * A record whose expiresAt is not in the future is not persisted.
   */
  create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult>;

  /**
   * Replaces data, expiry, user and last-seen of a live session. Never creates one: a session
   * that is gone stays gone, so a slow request cannot undo a logout or a revocation.
   * An expiresAt that is not in the future removes the session.
   */
  update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult>;

  /** Removes the session. Deleting a missing session is not an error. */
  delete(id: string, options?: CallOptions): Promise<void>;

  /**
   * Extends (or shortens) the expiry and last-seen time without rewriting data or changing
   * the version. Returns false, creating nothing, if no live session has the id.
   */
  touch?(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean>;

  /**
   * Every live session, page by page. A session that exists for the whole iteration is
   * yielded exactly once; expired sessions are never yielded.
   */
  iterate?(options?: IterateOptions): AsyncIterable<StoredSession>;

  /** The live sessions of a user, oldest first. */
  listByUser?(userId: string, options?: CallOptions): Promise<StoredSession[]>;

  /** Removes every session of a user (but `except`); returns how many were removed. */
  deleteByUser?(userId: string, options?: DeleteByUserOptions): Promise<number>;

  /**
   * Stops timers and releases what the store created itself (pools, clients, files).
   * Never closes a client the application passed in. Idempotent.
   */
  close?(): Promise<void>;
}

export interface IterableStore extends Store {
  iterate(options?: IterateOptions): AsyncIterable<StoredSession>;
}

export interface UserIndexStore extends Store {
  listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]>;
  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number>;
}

export interface TouchableStore extends Store {
  touch(id: string, expiresAt: number, lastSeenAt: number, options?: CallOptions): Promise<boolean>;
}
