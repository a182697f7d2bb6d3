import { ChangeLog } from './changes.js';
import type { SessionEnvelope } from './codec.js';
import { clearedCookie, sessionCookie } from './cookie.js';
import {
  CorruptDataError,
  HallpassError,
  InvalidInputError,
  SessionNotLoadedError,
  SessionTooLargeError,
  StoreConflictError,
} from './errors.js';
import type { SessionEvents } from './events.js';
import { type ResolvedOptions, storeCall } from './options.js';
import type { StoredSession, UpdateOptions } from './store/contract.js';
import { generateToken, isWellFormedToken, tokenToId } from './token.js';

/**
 * What session data may be: an object type declared with `type` or with `interface` (interfaces
 * have no index signature, so `Record<string, unknown>` would refuse them; only `any` values
 * admit both).
 */
// biome-ignore lint/suspicious/noExplicitAny: the constraint must admit interfaces (see above)
export type SessionData = Record<string, any>;
/** The data of a manager created without a type argument: any key, values of unknown type. */
export type UntypedSessionData = Record<string, unknown>;
export type SessionStatus = 'unmodified' | 'modified' | 'destroyed';

/** What the request tells about its client, recorded on new sessions and used by events. */
export interface ClientInfo {
  userAgent?: string | undefined;
  ip?: string | undefined;
}

/** What a Session needs from the manager that made it. */
export interface SessionContext {
  options: ResolvedOptions;
  events: SessionEvents;
  /** Runs after a commit that assigned a user (signIn / setUser): enforces per-user limits. */
  afterSignIn?: (userId: string) => Promise<void>;
}

/** The persisted state this session was loaded from (or last committed as). */
interface Persisted {
  id: string;
  version: number;
  lastSeenAt: number;
}

type CookieAction = 'set' | 'clear' | null;
type WritePlan = 'none' | 'create' | 'update' | 'touch';

/**
 * One session, as seen by one request. Reads and writes of values are synchronous and stay
 * in memory; the manager commits them to the store once, before the response is sent.
 */
export class Session<Data extends SessionData = UntypedSessionData> {
  readonly #ctx: SessionContext;
  readonly #client: ClientInfo;
  readonly #changes = new ChangeLog();
  /** The token the client holds (or will be sent); null for sessions reached by id only. */
  #token: string | null;
  #persisted: Persisted | null;
  #values: Record<string, unknown>;
  #deadline: number;
  #createdAt: number;
  #userId: string | null;
  #persist: boolean | undefined;
  #recordedClient: ClientInfo | undefined;
  #status: SessionStatus = 'unmodified';
  #userChanged = false;
  #cookieAction: CookieAction = null;
  #sealed = false;

  /** @internal Use SessionManager to obtain sessions. */
  constructor(
    ctx: SessionContext,
    client: ClientInfo,
    loaded?: { token: string | null; record: StoredSession; envelope: SessionEnvelope },
  ) {
    this.#ctx = ctx;
    this.#client = client;
    const now = this.#now();
    if (loaded) {
      const { record, envelope } = loaded;
      this.#token = loaded.token;
      this.#persisted = { id: record.id, version: record.version, lastSeenAt: record.lastSeenAt };
      this.#values = envelope.values;
      this.#deadline = envelope.deadline;
      this.#createdAt = record.createdAt;
      this.#userId = record.userId;
      this.#persist = envelope.persist;
      this.#recordedClient = envelope.client;
    } else {
      this.#token = null;
      this.#persisted = null;
      this.#values = {};
      this.#deadline = now + ctx.options.lifetimeMs;
      this.#createdAt = now;
      this.#userId = null;
      this.#persist = undefined;
      this.#recordedClient = undefined;
    }
  }

  // ---- what the session is ----

  /** unmodified, modified (will be written at commit) or destroyed. */
  get status(): SessionStatus {
    return this.#status;
  }

  /** The stored id (a hash of the token), or null before the session is first committed. */
  get id(): string | null {
    return this.#persisted?.id ?? (this.#token === null ? null : tokenToId(this.#token));
  }

  /** True until the session has been written to the store. */
  get isNew(): boolean {
    return this.#persisted === null;
  }

  /** The absolute deadline (epoch ms): the session ends then, however active it is. */
  get deadline(): number {
    return this.#deadline;
  }

  /** When the session ends if nothing else happens: the deadline, or earlier by idle timeout. */
  get expiresAt(): number {
    return this.#expiresAt(this.#persisted?.lastSeenAt ?? this.#now());
  }

  get createdAt(): number {
    return this.#createdAt;
  }

  /** The user this session belongs to, for the per-user index. */
  get userId(): string | null {
    return this.#userId;
  }

  /** User agent and IP recorded when the session was created or signed in. */
  get client(): ClientInfo {
    return { ...this.#recordedClient };
  }

  /**
   * The raw token, for transports other than cookies (an Authorization header, say). It is
   * a secret: never log it.
   */
  get token(): string | null {
    return this.#token;
  }

  // ---- values ----

  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    return this.#values[key] as Data[K] | undefined;
  }

  /** Sets a value. Objects are stored as they are at commit: put again after mutating one. */
  put<K extends keyof Data & string>(key: K, value: Data[K]): void {
    // Assigning "__proto__" would replace the values object's prototype instead of storing.
    if (key === '__proto__') throw new InvalidInputError('"__proto__" cannot be a session key');
    this.#beginWrite();
    this.#values[key] = value;
    this.#changes.set(key, value);
  }

  /** Returns a value and removes it: flash messages. */
  pop<K extends keyof Data & string>(key: K): Data[K] | undefined {
    const value = this.get(key);
    if (this.exists(key)) this.remove(key);
    return value;
  }

  remove<K extends keyof Data & string>(key: K): void {
    this.#beginWrite();
    delete this.#values[key];
    this.#changes.remove(key);
  }

  exists<K extends keyof Data & string>(key: K): boolean {
    return Object.hasOwn(this.#values, key);
  }

  keys(): Array<keyof Data & string> {
    return Object.keys(this.#values) as Array<keyof Data & string>;
  }

  /** Removes every value but keeps the session (and its token). */
  clear(): void {
    this.#beginWrite();
    this.#values = {};
    this.#changes.clear();
  }

  /**
   * Whether the cookie outlives the browser session, for this session only ("remember me").
   * Overrides the manager's `cookie.persist`.
   */
  rememberMe(persist: boolean): void {
    this.#beginWrite();
    this.#persist = persist;
  }

  /** Records (or clears) the user this session belongs to. Prefer `signIn`, which also renews. */
  setUser(userId: string | null): void {
    this.#beginWrite();
    this.#userId = userId;
    this.#userChanged = true;
  }

  // ---- lifecycle ----

  /**
   * Ends the session now: deletes it from the store and clears the cookie. Putting values
   * afterwards starts a brand-new session with a new token.
   */
  async destroy(): Promise<void> {
    this.#assertOpen();
    const persisted = this.#persisted;
    if (persisted) {
      await this.#ctx.options.store.delete(persisted.id, this.#call());
      this.#emit('destroyed');
    }
    this.#forget();
    this.#status = 'destroyed';
  }

  /**
   * Issues a new token for this session and deletes the old one, so a token planted before
   * sign-in (session fixation) is worthless afterwards. Call it whenever privileges change.
   * The absolute lifetime starts again from now.
   */
  async renewToken(): Promise<void> {
    return this.#renew(undefined);
  }

  /** @internal The binding policy `renew`: same data, new token, new client recorded. */
  async renewAfterBindingMismatch(): Promise<void> {
    return this.#renew('binding-mismatch');
  }

  async #renew(reason: 'binding-mismatch' | undefined): Promise<void> {
    this.#assertOpen();
    if (this.#persisted && this.#token === null) {
      throw new HallpassError(
        'NO_TOKEN',
        'cannot renew a session reached by id only (outside a request)',
      );
    }
    const previous = this.#persisted;
    if (previous) await this.#ctx.options.store.delete(previous.id, this.#call());
    const now = this.#now();
    this.#token = generateToken();
    this.#persisted = null;
    this.#createdAt = now;
    this.#deadline = now + this.#ctx.options.lifetimeMs;
    this.#recordedClient = { ...this.#client };
    this.#status = 'modified';
    this.#cookieAction = 'set';
    this.#emit('renewed', { previousSessionId: previous?.id ?? null, reason });
  }

  /** Renews the token (fixation defence) and records the user, in one call. */
  async signIn(userId: string): Promise<void> {
    await this.renewToken();
    this.setUser(userId);
  }

  /**
   * Moves the values of another session (by its token) into this one and deletes the other:
   * for a user who signs in on a second cookie. Values of the other session win.
   */
  async mergeSession(token: string): Promise<void> {
    this.#assertOpen();
    if (token === this.#token) return;
    if (!isWellFormedToken(token)) return;
    const id = tokenToId(token);
    const record = await this.#readOrNull(id);
    if (!record) return;
    let envelope: SessionEnvelope;
    try {
      envelope = this.#ctx.options.codec.decode(record.data);
    } catch (error) {
      // Nothing readable to merge; the other session is left untouched.
      this.#reportCorrupt(error);
      return;
    }
    for (const [key, value] of Object.entries(envelope.values)) {
      this.put(key as keyof Data & string, value as Data[keyof Data & string]);
    }
    this.#deadline = Math.max(this.#deadline, envelope.deadline);
    await this.#ctx.options.store.delete(id, this.#call());
  }

  /**
   * Writes pending changes to the store now. The middleware calls it before the response
   * is sent; call it yourself before streaming a long response.
   */
  async commit(): Promise<void> {
    const now = this.#now();
    switch (this.#plan(now)) {
      case 'create':
        return this.#create(now);
      case 'update':
        return this.#update(now);
      case 'touch':
        return this.#touch(now);
      default:
        return;
    }
  }

  // ---- used by the manager and the HTTP adapters ----

  /** The name of the cookie that carries this session. */
  get cookieName(): string {
    return this.#ctx.options.cookie.name;
  }

  /**
   * The Set-Cookie value this response needs, or undefined. For integrations: prefer
   * `sessionResponseHeaders()`, which also sets Vary and Cache-Control.
   */
  setCookieHeader(): string | undefined {
    const action = this.#cookieAction ?? this.#cookieFor(this.#plan(this.#now()));
    const cookie = this.#ctx.options.cookie;
    if (action === 'clear') return clearedCookie(cookie);
    if (action !== 'set') return undefined;
    const persist = this.#persist ?? cookie.persist;
    return sessionCookie(
      cookie,
      this.#ensureToken(),
      persist ? this.expiresAt : undefined,
      this.#now(),
    );
  }

  /** @internal Marks that the request presented a session cookie that was not accepted. */
  clearCookieUnlessWritten(): void {
    this.#cookieAction = 'clear';
  }

  /** @internal After the final commit nothing may change: it could never be saved. */
  seal(): void {
    this.#sealed = true;
  }

  // ---- internals ----

  #plan(now: number): WritePlan {
    if (this.#status === 'modified') return this.#persisted ? 'update' : 'create';
    if (this.#status === 'destroyed' || !this.#persisted) return 'none';
    const { idleTimeoutMs, touchAfterMs } = this.#ctx.options;
    if (idleTimeoutMs > 0 && now - this.#persisted.lastSeenAt >= touchAfterMs) return 'touch';
    return 'none';
  }

  #cookieFor(plan: WritePlan): CookieAction {
    return plan === 'none' ? null : 'set';
  }

  #ensureToken(): string {
    this.#token ??= generateToken();
    return this.#token;
  }

  #beginWrite(): void {
    this.#assertOpen();
    if (this.#status === 'destroyed') {
      // A write after destroy starts a new session; the old token is never reused.
      const now = this.#now();
      this.#createdAt = now;
      this.#deadline = now + this.#ctx.options.lifetimeMs;
    }
    if (this.#cookieAction === 'clear') this.#cookieAction = null;
    this.#status = 'modified';
  }

  #now(): number {
    return this.#ctx.options.clock();
  }

  #assertOpen(): void {
    if (this.#sealed) throw new SessionNotLoadedError('this session was already committed');
  }

  #forget(): void {
    this.#token = null;
    this.#persisted = null;
    this.#values = {};
    this.#userId = null;
    this.#persist = undefined;
    this.#changes.reset();
    this.#cookieAction = 'clear';
  }

  #expiresAt(now: number): number {
    const idle = this.#ctx.options.idleTimeoutMs;
    return idle > 0 ? Math.min(this.#deadline, now + idle) : this.#deadline;
  }

  #encode(): Uint8Array {
    const { codec, maxDataBytes } = this.#ctx.options;
    let data: Uint8Array;
    try {
      data = codec.encode({
        deadline: this.#deadline,
        values: this.#values,
        persist: this.#persist,
        client: this.#recordedClient,
      });
    } catch (error) {
      throw new InvalidInputError(`session values cannot be encoded by the ${codec.name} codec`, {
        cause: error,
      });
    }
    if (data.byteLength > maxDataBytes)
      throw new SessionTooLargeError(data.byteLength, maxDataBytes);
    return data;
  }

  async #create(now: number): Promise<void> {
    const { store } = this.#ctx.options;
    this.#recordedClient ??= { ...this.#client };
    const data = this.#encode();
    // A 256-bit collision will not happen; the retry only keeps the contract honest.
    for (let attempt = 0; attempt < 2; attempt++) {
      const id = tokenToId(this.#ensureToken());
      const result = await store.create(
        id,
        {
          data,
          expiresAt: this.#expiresAt(now),
          userId: this.#userId,
          createdAt: this.#createdAt,
          lastSeenAt: now,
        },
        this.#call(),
      );
      if (result.ok) {
        this.#persisted = { id, version: result.version, lastSeenAt: now };
        this.#written('set');
        this.#emit('created');
        this.#emit('committed', { version: result.version });
        return this.#afterWrite();
      }
      this.#token = null;
    }
    throw new StoreConflictError('could not create a session with a fresh id');
  }

  async #update(now: number): Promise<void> {
    const { store, maxConflictRetries } = this.#ctx.options;
    const persisted = this.#persisted as Persisted;
    const versioned = store.capabilities.versioned;
    for (let attempt = 0; attempt <= maxConflictRetries; attempt++) {
      const result = await store.update(
        persisted.id,
        {
          data: this.#encode(),
          expiresAt: this.#expiresAt(now),
          userId: this.#userId,
          lastSeenAt: now,
        },
        this.#call<UpdateOptions>(versioned ? { expectedVersion: persisted.version } : {}),
      );
      if (result.ok) {
        persisted.version = result.version;
        persisted.lastSeenAt = now;
        this.#written('set');
        this.#emit('committed', { version: result.version });
        return this.#afterWrite();
      }
      if (result.reason === 'missing' || !(await this.#rebase(persisted))) {
        return this.#gone();
      }
      // Randomised, growing pause: writers released together would otherwise collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * (attempt + 1)));
    }
    throw new StoreConflictError(
      `session kept changing under this request (${maxConflictRetries} retries)`,
    );
  }

  /** Reloads the newer version and re-applies this request's changes; false if it is gone. */
  async #rebase(persisted: Persisted): Promise<boolean> {
    const fresh = await this.#readOrNull(persisted.id);
    if (!fresh) return false;
    let envelope: SessionEnvelope;
    try {
      envelope = this.#ctx.options.codec.decode(fresh.data);
    } catch (error) {
      // Unreadable data cannot be merged with: the session is lost to this client, like a
      // revoked one. The row is left as it is for inspection.
      this.#reportCorrupt(error);
      return false;
    }
    this.#values = this.#changes.replay(envelope.values);
    persisted.version = fresh.version;
    return true;
  }

  /** find(), with a store's CorruptDataError read as "nothing usable there". */
  async #readOrNull(id: string): Promise<StoredSession | null> {
    try {
      return await this.#ctx.options.store.find(id, this.#call());
    } catch (error) {
      if (!(error instanceof CorruptDataError)) throw error;
      this.#reportCorrupt(error);
      return null;
    }
  }

  #call<T extends { signal?: AbortSignal }>(extra?: T): T {
    return storeCall(this.#ctx.options, extra);
  }

  #reportCorrupt(error: unknown): void {
    this.#ctx.events.emit('error', {
      time: this.#now(),
      sessionId: this.id,
      userId: this.#userId,
      error,
      phase: 'commit',
    });
  }

  async #touch(now: number): Promise<void> {
    const { store } = this.#ctx.options;
    const persisted = this.#persisted as Persisted;
    const expiresAt = this.#expiresAt(now);
    const alive = store.touch
      ? await store.touch(persisted.id, expiresAt, now, this.#call())
      : await this.#touchByUpdate(persisted, expiresAt, now);
    if (!alive) return this.#gone();
    persisted.lastSeenAt = now;
    this.#cookieAction = 'set';
    this.#emit('touched');
  }

  /** For stores without touch: rewrite the same data. Losing a race is fine: the winner extended it. */
  async #touchByUpdate(persisted: Persisted, expiresAt: number, now: number): Promise<boolean> {
    const { store } = this.#ctx.options;
    const result = await store.update(
      persisted.id,
      { data: this.#encode(), expiresAt, userId: this.#userId, lastSeenAt: now },
      this.#call<UpdateOptions>(
        store.capabilities.versioned ? { expectedVersion: persisted.version } : {},
      ),
    );
    if (result.ok) persisted.version = result.version;
    return result.ok || result.reason === 'conflict';
  }

  /** The session ended elsewhere (logout, revocation, expiry) during this request: keep it ended. */
  #gone(): void {
    this.#emit('rejected', { reason: 'ended-during-request' });
    this.#forget();
    this.#status = 'destroyed';
  }

  async #afterWrite(): Promise<void> {
    if (!this.#userChanged) return;
    this.#userChanged = false;
    if (this.#userId !== null) await this.#ctx.afterSignIn?.(this.#userId);
  }

  #written(cookie: CookieAction): void {
    this.#status = 'unmodified';
    this.#changes.reset();
    this.#cookieAction = cookie;
  }

  #emit(type: 'created' | 'destroyed' | 'touched'): void;
  #emit(type: 'committed', extra: { version: number }): void;
  #emit(
    type: 'renewed',
    extra: { previousSessionId: string | null; reason: 'binding-mismatch' | undefined },
  ): void;
  #emit(type: 'rejected', extra: { reason: 'ended-during-request' }): void;
  #emit(
    type: 'created' | 'destroyed' | 'touched' | 'committed' | 'renewed' | 'rejected',
    extra = {},
  ): void {
    this.#ctx.events.emit(type, {
      time: this.#now(),
      sessionId: this.id,
      userId: this.#userId,
      ip: this.#client.ip,
      userAgent: this.#client.userAgent,
      ...extra,
    } as never);
  }
}
