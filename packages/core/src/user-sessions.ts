import type { Codec } from './codec.js';
import { ConfigurationError } from './errors.js';
import type { RevokeReason, SessionEvents } from './events.js';
import { supports } from './store/capabilities.js';
import type { CallOptions, Store, StoredSession, UserIndexStore } from './store/contract.js';

/** One line of a "your devices" page. */
export interface UserSessionInfo {
  /** The stored id: safe to show and to pass back to revokeSession (it is not the token). */
  id: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  userAgent?: string | undefined;
  ip?: string | undefined;
  /** Whether this is the session of the request that asked. */
  current: boolean;
}

export interface RevokeOptions extends CallOptions {
  /** Keep this session (its id): "sign out everywhere else". */
  except?: string | null | undefined;
  /** Recorded on the `revoked` events. Default `admin`. */
  reason?: RevokeReason | undefined;
}

/**
 * Per-user operations over a store with the userIndex capability: listing a user's
 * sessions, revoking one or all, and keeping a user under a session limit.
 */
export class UserSessions {
  constructor(
    private readonly store: Store,
    private readonly codec: Codec,
    private readonly events: SessionEvents,
    private readonly clock: () => number = Date.now,
  ) {}

  async list(
    userId: string,
    currentId: string | null,
    options?: CallOptions,
  ): Promise<UserSessionInfo[]> {
    const records = await this.#indexed().listByUser(userId, options);
    return records.map((record) => ({
      id: record.id,
      createdAt: record.createdAt,
      lastSeenAt: record.lastSeenAt,
      expiresAt: record.expiresAt,
      ...this.#clientOf(record),
      current: record.id === currentId,
    }));
  }

  /**
   * Revokes one session of this user. The id must be one of the user's own sessions, so a
   * user can never end somebody else's session by sending a guessed id. Returns whether
   * a session was revoked.
   */
  async revokeOne(
    userId: string,
    sessionId: string,
    reason: RevokeReason,
    options?: CallOptions,
  ): Promise<boolean> {
    const store = this.#indexed();
    const owned = (await store.listByUser(userId, options)).some((s) => s.id === sessionId);
    if (!owned) return false;
    await store.delete(sessionId, options);
    this.#revoked(userId, sessionId, reason);
    return true;
  }

  /** Revokes every session of the user (but `except`) in one store call; returns how many. */
  async revokeAll(userId: string, options: RevokeOptions = {}): Promise<number> {
    const count = await this.#indexed().deleteByUser(userId, {
      except: options.except ?? undefined,
      signal: options.signal,
    });
    if (count > 0) this.#revoked(userId, null, options.reason ?? 'admin', count);
    return count;
  }

  /**
   * Keeps the newest `limit` sessions of a user and revokes the rest. Every concurrent
   * sign-in runs this after its own session is stored and they all order sessions the same
   * way (creation time, then id), so they agree on the survivors: once all have settled the
   * user is at the limit, never above it.
   */
  async enforceLimit(userId: string, limit: number): Promise<void> {
    const store = this.#indexed();
    const sessions = await store.listByUser(userId);
    if (sessions.length <= limit) return;
    const oldestFirst = [...sessions].sort(
      (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    for (const session of oldestFirst.slice(0, sessions.length - limit)) {
      await store.delete(session.id);
      this.#revoked(userId, session.id, 'limit');
    }
  }

  #indexed(): UserIndexStore {
    if (!supports(this.store, 'userIndex')) {
      throw new ConfigurationError('this store does not declare the userIndex capability');
    }
    return this.store;
  }

  #clientOf(record: StoredSession): { userAgent?: string; ip?: string } {
    try {
      return this.codec.decode(record.data).client ?? {};
    } catch {
      // A corrupt session still belongs to the user and can still be revoked.
      return {};
    }
  }

  #revoked(userId: string, sessionId: string | null, reason: RevokeReason, count = 1): void {
    this.events.emit('revoked', { time: this.clock(), sessionId, userId, reason, count });
  }
}
