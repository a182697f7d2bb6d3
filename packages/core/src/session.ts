import { clearedCookie, sessionCookie } from './cookie.js';
import { HallpassError, SessionInputError, SessionNotLoadedError } from './errors.js';
import { commit, cookieActionOf, ensureToken } from './persistence/commit.js';
import { readSession } from './persistence/read.js';
import {
  type ClientInfo,
  copyClient,
  emit,
  expiresAtOf,
  forget,
  idOf,
  type Loaded,
  newState,
  type SessionContext,
  type SessionState,
  type SessionStatus,
} from './persistence/state.js';
import { generateToken, isWellFormedToken, tokenToId } from './token.js';
import { assertUserId } from './user-id.js';

export type { ClientInfo, SessionStatus };
/**
 * What session data may be: an object type declared with `type` or with `interface` (interfaces
 * have no index signature, so `Record<string, unknown>` would refuse them; only `any` values
 * admit both).
 */
// biome-ignore lint/suspicious/noExplicitAny: the constraint must admit interfaces (see above)
export type SessionData = Record<string, any>;
/** The data of a manager created without a type argument: any key, values of unknown type. */
export type UntypedSessionData = Record<string, unknown>;

/** Options of `session.signIn`. */
export interface SignInOptions<Data extends SessionData = SessionData> {
  /**
   * Values of the pre-login session to carry into the signed-in one (a cart). Default: none,
   * so data planted into an anonymous session never reaches the victim's signed-in session.
   */
  keep?: ReadonlyArray<keyof Data & string>;
  /**
   * Start a new absolute lifetime at sign-in (a fresh authentication). Default: true. With
   * false the session keeps its deadline. Token renewals never move it either way.
   */
  newLifetime?: boolean;
}

let construct: (state: SessionState) => Session<SessionData>;
/** Reads a Session's private state (set in its static block; a WeakMap cost more per request). */
let stateOfSession: (session: Session<SessionData>) => SessionState;

/** Creates a Session over new (or loaded) state. Module-internal: apps get sessions from the manager. */
export function createSession<Data extends SessionData>(
  ctx: SessionContext,
  client: ClientInfo,
  loaded?: Loaded,
): Session<Data> {
  return construct(newState(ctx, client, loaded)) as unknown as Session<Data>;
}

/** The state behind a Session. Module-internal. */
export function stateOf<D extends SessionData>(session: Session<D>): SessionState {
  return stateOfSession(session as unknown as Session<SessionData>);
}

/**
 * One session, as seen by one request. Reads and writes of values are synchronous and stay
 * in memory; the manager commits them to the store once, before the response is sent.
 */
export class Session<Data extends SessionData = UntypedSessionData> {
  readonly #s: SessionState;

  static {
    construct = (state) => new Session(state);
    stateOfSession = (session) => session.#s;
  }

  private constructor(state: SessionState) {
    this.#s = state;
  }

  // ---- what the session is ----

  /** unmodified, modified (will be written at commit) or destroyed. */
  get status(): SessionStatus {
    return this.#s.status;
  }

  /** The stored id (a hash of the token), or null before the session is first committed. */
  get id(): string | null {
    return idOf(this.#s);
  }

  /** True until the session has been written to the store. */
  get isNew(): boolean {
    return this.#s.persisted === null;
  }

  /** The absolute deadline (epoch ms): the session ends then, however active it is. */
  get deadline(): number {
    return this.#s.deadline;
  }

  /** When the session ends if nothing else happens: the deadline, or earlier by idle timeout. */
  get expiresAt(): number {
    return expiresAtOf(this.#s, this.#s.persisted?.lastSeenAt ?? this.#now());
  }

  get createdAt(): number {
    return this.#s.createdAt;
  }

  /** The user this session belongs to, for the per-user index. */
  get userId(): string | null {
    return this.#s.userId;
  }

  /** User agent and IP recorded when the session was created or signed in. */
  get client(): ClientInfo {
    return { ...this.#s.recordedClient };
  }

  /**
   * The raw token, for transports other than cookies (an Authorization header, say). It is
   * a secret: never log it.
   */
  get token(): string | null {
    return this.#s.token;
  }

  /** The name of the cookie that carries this session. */
  get cookieName(): string {
    return this.#s.ctx.options.cookie.name;
  }

  // ---- values ----

  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    // Own values only: `get('constructor')` must not hand out Object's members.
    const values = this.#s.values;
    return Object.hasOwn(values, key) ? (values[key] as Data[K]) : undefined;
  }

  /** Sets a value. Objects are stored as they are at commit: put again after mutating one. */
  put<K extends keyof Data & string>(key: K, value: Data[K]): void {
    // Assigning "__proto__" would replace the values object's prototype instead of storing.
    if (key === '__proto__') throw new SessionInputError('"__proto__" cannot be a session key');
    this.#beginWrite();
    this.#s.values[key] = value;
    this.#s.changes.set(key, value);
  }

  /** Returns a value and removes it: flash messages. */
  pop<K extends keyof Data & string>(key: K): Data[K] | undefined {
    const value = this.get(key);
    if (this.exists(key)) this.remove(key);
    return value;
  }

  remove<K extends keyof Data & string>(key: K): void {
    this.#beginWrite();
    delete this.#s.values[key];
    this.#s.changes.remove(key);
  }

  exists<K extends keyof Data & string>(key: K): boolean {
    return Object.hasOwn(this.#s.values, key);
  }

  keys(): Array<keyof Data & string> {
    return Object.keys(this.#s.values) as Array<keyof Data & string>;
  }

  /** Removes every value but keeps the session (and its token). */
  clear(): void {
    this.#beginWrite();
    this.#s.values = {};
    this.#s.changes.clear();
  }

  /**
   * Whether the cookie outlives the browser session, for this session only ("remember me").
   * Overrides the manager's `cookie.persist`.
   */
  rememberMe(persist: boolean): void {
    this.#beginWrite();
    this.#s.persist = persist;
    this.#s.set.add('persist');
  }

  /** Records (or clears) the user this session belongs to. Prefer `signIn`, which also renews. */
  setUser(userId: string | null): void {
    if (userId !== null) assertUserId(userId);
    this.#beginWrite();
    this.#s.userId = userId;
    this.#s.set.add('user');
  }

  // ---- lifecycle ----

  /**
   * Ends the session now: deletes it from the store and clears the cookie. Putting values
   * afterwards starts a brand-new session with a new token.
   */
  async destroy(): Promise<void> {
    this.#assertOpen();
    const persisted = this.#s.persisted;
    if (persisted) {
      await this.#s.ctx.options.store.delete(persisted.id);
      emit(this.#s, 'destroyed', {});
    }
    forget(this.#s);
    this.#s.status = 'destroyed';
  }

  /**
   * Issues a new token for this session and deletes the old one, so a token planted before
   * sign-in (session fixation) is worthless afterwards. Call it whenever privileges change.
   * The absolute deadline does not move: renewing is not a way to outlive the lifetime.
   */
  async renewToken(): Promise<void> {
    return renew(this.#s, undefined);
  }

  /**
   * Signs `userId` in: renews the token (fixation defence), drops every value the session held
   * before (an attacker who planted the pre-login session cannot plant data into the victim's
   * signed-in one) except the keys in `keep`, records the user and, unless `newLifetime` is
   * false, starts a new absolute lifetime from now.
   */
  async signIn(userId: string, options: SignInOptions<Data> = {}): Promise<void> {
    // Before renew deletes the old session: a bad id must lose nothing.
    assertUserId(userId);
    const kept = (options.keep ?? [])
      .filter((key) => this.exists(key))
      .map((key) => [key, this.get(key)] as const);
    await renew(this.#s, undefined);
    this.clear();
    for (const [key, value] of kept) this.put(key, value as Data[typeof key]);
    if (options.newLifetime ?? true) {
      const now = this.#now();
      this.#s.createdAt = now;
      this.#s.deadline = now + this.#s.ctx.options.lifetimeMs;
    }
    this.setUser(userId);
  }

  /**
   * Moves the values of another session (by its token) into this one and deletes the other:
   * for a user who signs in on a second cookie. Values of the other session win.
   */
  async mergeSession(token: string): Promise<void> {
    this.#assertOpen();
    if (token === this.#s.token || !isWellFormedToken(token)) return;
    const id = tokenToId(token);
    // Nothing readable to merge: the other session is left untouched.
    const read = await readSession(this.#s.ctx, id, 'commit');
    if (!('record' in read)) return;
    for (const [key, value] of Object.entries(read.envelope.values)) {
      this.put(key as keyof Data & string, value as Data[keyof Data & string]);
    }
    if (read.envelope.deadline > this.#s.deadline) {
      this.#s.deadline = read.envelope.deadline;
      this.#s.set.add('deadline');
    }
    await this.#s.ctx.options.store.delete(id);
  }

  /**
   * Writes pending changes to the store now. The adapters call it before the response is
   * sent; call it yourself before a long-running job that should not hold the changes back.
   */
  commit(): Promise<void> {
    // Not async: commit() already returns the promise, a second one would only add ticks.
    return commit(this.#s);
  }

  /**
   * The Set-Cookie value this response needs, or undefined. For integrations: prefer the
   * request lifecycle (`manager.begin`), which also sets Vary and Cache-Control.
   */
  setCookieHeader(): string | undefined {
    return setCookieOf(this.#s);
  }

  // ---- internals ----

  #beginWrite(): void {
    this.#assertOpen();
    const s = this.#s;
    if (s.status === 'destroyed') {
      // A write after destroy starts a new session; the old token is never reused.
      const now = this.#now();
      s.createdAt = now;
      s.deadline = now + s.ctx.options.lifetimeMs;
    }
    if (s.cookieAction === 'clear') s.cookieAction = null;
    s.status = 'modified';
  }

  #now(): number {
    return this.#s.ctx.options.clock();
  }

  #assertOpen(): void {
    assertOpen(this.#s);
  }
}

function assertOpen(state: SessionState): void {
  if (state.sealed) throw new SessionNotLoadedError('this session was already committed');
}

/**
 * New token, old row deleted, this request's client recorded; the absolute deadline is kept.
 * `reason` is set when hallpass renews by itself (the binding policy `renew`). Module-internal.
 */
export async function renew(
  state: SessionState,
  reason: 'binding-mismatch' | undefined,
): Promise<void> {
  assertOpen(state);
  if (state.persisted && state.token === null) {
    throw new HallpassError(
      'NO_TOKEN',
      'cannot renew a session reached by id only (outside a request)',
    );
  }
  const previous = state.persisted;
  if (previous) await state.ctx.options.store.delete(previous.id);
  state.token = generateToken();
  state.persisted = null;
  // Nothing goes into `set` here: only a rebase reads it, a rebase follows only an update of a
  // stored row, and with `persisted` null the next write is a create, which clears `set`.
  state.recordedClient = copyClient(state.client);
  state.status = 'modified';
  state.cookieAction = 'set';
  emit(state, 'renewed', {
    previousSessionId: previous?.id ?? null,
    ...(reason ? { reason } : {}),
  });
}

/** The Set-Cookie line the response needs now, or undefined. Module-internal. */
export function setCookieOf(state: SessionState): string | undefined {
  const now = state.ctx.options.clock();
  const action = cookieActionOf(state, now);
  const cookie = state.ctx.options.cookie;
  if (action === 'clear') return clearedCookie(cookie);
  if (action !== 'set') return undefined;
  const persist = state.persist ?? cookie.persist;
  return sessionCookie(
    cookie,
    ensureToken(state),
    persist ? expiresAtOf(state, state.persisted?.lastSeenAt ?? now) : undefined,
    now,
  );
}
