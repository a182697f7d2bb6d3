import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * Why a presented session was not accepted.
 *
 * An expired session is usually reported as `unknown-token`, not as a timeout: the Store
 * contract says stores never return an expired row (most delete it, by TTL or sweep), so the
 * manager sees exactly what it sees for a token that never existed or was revoked, and the
 * token alone (random, 256 bits) carries no date to tell them apart. `absolute-timeout` and
 * `idle-timeout` fire when a store still returns the row (its clock or TTL runs behind the
 * manager's, or the row's recorded expiry was later than the manager's own rules allow).
 */
export type RejectReason =
  | 'malformed-token'
  /** No live row for the token: never issued, ended (logout, renewal, revocation) or expired. */
  | 'unknown-token'
  | 'corrupt-data'
  | 'absolute-timeout'
  | 'idle-timeout'
  | 'binding-mismatch'
  /**
   * The Cookie header carried two or more values of the session cookie that each name a live
   * session (a cookie planted from a sibling subdomain or for a longer path, say): neither is
   * used, neither is cleared.
   */
  | 'duplicate-cookie'
  /** The session was destroyed or revoked by someone else while this request ran. */
  | 'ended-during-request';

/** Who ended a session that was not ended by its own request. */
export type RevokeReason = 'user' | 'admin' | 'limit';

export interface SessionEventMap {
  created: SessionEventBase;
  loaded: SessionEventBase;
  renewed: SessionEventBase & {
    previousSessionId: string | null;
    /** Set when hallpass renewed by itself: a binding mismatch under the `renew` policy. */
    reason?: 'binding-mismatch';
  };
  committed: SessionEventBase & { version: number };
  touched: SessionEventBase;
  destroyed: SessionEventBase;
  /** `sessionId` is null when a revoke-all removed `count` sessions at once. */
  revoked: SessionEventBase & { reason: RevokeReason; count: number };
  rejected: SessionEventBase & { reason: RejectReason };
  /**
   * `load` and `commit`: the store failed (the adapter answered 503/500). `response`: the
   * response itself could not be completed (the app passed `res.end` a bad argument, an
   * `onError` threw): the adapter answered 500 or, if headers were already out, cut it.
   */
  error: SessionEventBase & {
    error: unknown;
    phase: 'load' | 'commit' | 'destroy' | 'renew' | 'response';
  };
}

export type SessionEventType = keyof SessionEventMap;

/**
 * Every event carries the stored id (a hash of the token), never the token itself, so events
 * can go to logs and metrics as they are.
 */
export interface SessionEventBase {
  time: number;
  sessionId: string | null;
  userId: string | null;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export type SessionEvent = {
  [K in SessionEventType]: SessionEventMap[K] & { type: K };
}[SessionEventType];

type Listener<K extends SessionEventType> = (event: SessionEventMap[K] & { type: K }) => void;

/** Events are published here for APMs and loggers that subscribe without a manager reference. */
export const sessionChannel = diagnosticsChannel.channel('hallpass:session');

/**
 * A typed listener list. A listener that throws is isolated: one broken logger must not fail
 * the request that emitted the event.
 */
export class SessionEvents {
  readonly #listeners = new Map<SessionEventType | '*', Set<(event: SessionEvent) => void>>();

  on<K extends SessionEventType>(type: K, listener: Listener<K>): () => void;
  on(type: '*', listener: (event: SessionEvent) => void): () => void;
  on(type: SessionEventType | '*', listener: (event: never) => void): () => void {
    const set = this.#listeners.get(type) ?? new Set();
    this.#listeners.set(type, set);
    const erased = listener as (event: SessionEvent) => void;
    set.add(erased);
    return () => set.delete(erased);
  }

  /**
   * Whether an event of this type would reach anyone. Callers check it before building a
   * payload, so a request nobody observes builds no event objects and reads no client details.
   */
  listens(type: SessionEventType): boolean {
    return (
      (this.#listeners.get(type)?.size ?? 0) > 0 ||
      (this.#listeners.get('*')?.size ?? 0) > 0 ||
      sessionChannel.hasSubscribers
    );
  }

  emit<K extends SessionEventType>(type: K, payload: SessionEventMap[K]): void {
    if (!this.listens(type)) return;
    const typed = this.#listeners.get(type);
    const any = this.#listeners.get('*');
    const event = { ...payload, type } as SessionEvent;
    for (const listener of [...(typed ?? []), ...(any ?? [])]) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          // Surface the listener's bug without breaking the request.
          process.emitWarning(`hallpass event listener threw: ${String(error)}`);
        });
      }
    }
    if (sessionChannel.hasSubscribers) sessionChannel.publish(event);
  }
}
