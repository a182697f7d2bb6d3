import { isDeepStrictEqual } from 'node:util';
import { HallpassError, type Session, type SessionData, type SessionManager } from '@hallpass/core';
import { DirtyTracker } from './dirty-tracker.js';
import type { UserFromSession } from './passport-user.js';

/**
 * What the compatibility layer knows about one request's session beyond the hallpass
 * `Session` itself: which object values may have changed in place, which user the values
 * named when the request started, and whether this request chose "remember me".
 */
export class RequestState {
  readonly tracker = new DirtyTracker();
  /** Set by `cookie.maxAge` / `cookie.expires` in this request; otherwise the manager's default. */
  persist: boolean | undefined;
  #userAtStart: string | null;

  constructor(
    readonly manager: SessionManager<SessionData>,
    readonly session: Session<SessionData>,
    readonly userFromSession: UserFromSession,
  ) {
    this.#userAtStart = this.#mappedUser();
  }

  /** The session's values as a plain object (a copy of the top level). */
  values(): SessionData {
    const values: SessionData = {};
    for (const key of this.session.keys()) values[key] = this.session.get(key);
    return values;
  }

  /**
   * Brings the hallpass session up to date with what the app did through `req.session`:
   * in-place changes become puts, and a change of the user the values name (passport's
   * `passport.user`) becomes `setUser`. A session that already existed gets a new token
   * before it is given to a user, so a planted cookie never becomes a signed-in one even
   * when the app did not call `regenerate`.
   */
  async sync(): Promise<void> {
    this.tracker.flush(this.session);
    const user = this.#mappedUser();
    if (user === this.#userAtStart) return;
    if (user !== null && !this.session.isNew) await this.session.renewToken();
    this.session.setUser(user);
    this.#userAtStart = user;
  }

  /** express-session's `save`: write now rather than before the response ends. */
  async save(): Promise<void> {
    await this.sync();
    await this.session.commit();
  }

  /**
   * express-session's `regenerate` and `destroy` both end the stored session; what differs is
   * what `req.session` is afterwards (the middleware handles that). The next value written
   * starts a brand-new session with a fresh token, and a request that writes nothing leaves
   * nothing in the store, as with `saveUninitialized: false`.
   */
  async end(): Promise<void> {
    await this.session.destroy();
    this.tracker.reset();
    this.persist = undefined;
    this.#userAtStart = null;
  }

  /**
   * express-session's `reload`: the stored values replace this request's unsaved changes.
   * Only values that differ are written back, so a reload of an unchanged session writes
   * nothing.
   */
  async reload(): Promise<void> {
    const { session } = this;
    if (session.isNew || session.token === null) {
      throw new HallpassError('SESSION_NOT_STORED', 'failed to load session: it is not stored');
    }
    const fresh = await this.manager.load(`${session.cookieName}=${session.token}`);
    if (fresh.isNew) throw new HallpassError('SESSION_GONE', 'failed to load session: it ended');
    this.tracker.flush(session);
    for (const key of session.keys()) if (!fresh.exists(key)) session.remove(key);
    for (const key of fresh.keys()) {
      if (!isDeepStrictEqual(session.get(key), fresh.get(key))) session.put(key, fresh.get(key));
    }
    this.tracker.reset();
    this.#userAtStart = this.#mappedUser();
  }

  rememberMe(persist: boolean): void {
    this.session.rememberMe(persist);
    this.persist = persist;
  }

  #mappedUser(): string | null {
    return this.userFromSession(this.values());
  }
}
