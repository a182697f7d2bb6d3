import { bindingMismatch } from './binding.js';
import type { SessionEnvelope } from './codec.js';
import { readCookie } from './cookie.js';
import { ConfigurationError, CorruptDataError, SessionNotLoadedError } from './errors.js';
import {
  type RevokeReason,
  type SessionEvent,
  type SessionEventMap,
  SessionEvents,
  type SessionEventType,
} from './events.js';
import { type FetchAdapterOptions, type FetchHandler, fetchHandler } from './http/fetch.js';
import {
  type NodeAdapterOptions,
  type NodeHandler,
  type NodeMiddleware,
  nodeHandler,
  nodeMiddleware,
} from './http/node.js';
import {
  type ResolvedOptions,
  resolveOptions,
  type SessionManagerOptions,
  storeCall,
} from './options.js';
import {
  type ClientInfo,
  Session,
  type SessionContext,
  type SessionData,
  type UntypedSessionData,
} from './session.js';
import { supports } from './store/capabilities.js';
import type { CallOptions, StoredSession } from './store/contract.js';
import { isWellFormedToken, tokenToId } from './token.js';
import { type UserSessionInfo, UserSessions } from './user-sessions.js';

/**
 * Loads and commits sessions for requests. Create one per cookie (several managers can
 * serve one request with different cookie names and stores), then install its middleware:
 * `manager.middleware()` for Node http / Connect / Express, `manager.fetch()` for Fetch API
 * handlers. Inside a request, `manager.session(req)` returns the request's Session.
 */
export class SessionManager<Data extends SessionData = UntypedSessionData> {
  readonly options: ResolvedOptions;
  readonly events = new SessionEvents();
  readonly #context: SessionContext;
  readonly #byRequest = new WeakMap<object, Session<Data>>();
  readonly #users: UserSessions;

  constructor(options: SessionManagerOptions) {
    this.options = resolveOptions(options);
    this.#users = new UserSessions(
      this.options.store,
      this.options.codec,
      this.events,
      this.options.clock,
    );
    const limit = this.options.maxSessionsPerUser;
    this.#context = {
      options: this.options,
      events: this.events,
      afterSignIn:
        limit === undefined ? undefined : (userId) => this.#users.enforceLimit(userId, limit),
    };
  }

  /** Subscribes to lifecycle events; returns a function that unsubscribes. */
  on<K extends SessionEventType>(
    type: K,
    listener: (event: SessionEventMap[K] & { type: K }) => void,
  ): () => void;
  on(type: '*', listener: (event: SessionEvent) => void): () => void;
  on(type: SessionEventType | '*', listener: (event: never) => void): () => void {
    return this.events.on(type as '*', listener as (event: SessionEvent) => void);
  }

  /** Connect/Express middleware: `app.use(manager.middleware())`. */
  middleware(options?: NodeAdapterOptions): NodeMiddleware {
    return nodeMiddleware(this, options);
  }

  /** A `node:http` request listener: `http.createServer(manager.handler((req, res) => ...))`. */
  handler(handler: NodeHandler, options?: NodeAdapterOptions): ReturnType<typeof nodeHandler> {
    return nodeHandler(this, handler, options);
  }

  /** A Fetch API handler: `export default { fetch: manager.fetch(async (req, session) => ...) }`. */
  fetch(
    handler: FetchHandler<Data>,
    options?: FetchAdapterOptions,
  ): (request: Request) => Promise<Response> {
    return fetchHandler(this, handler, options);
  }

  /** The session loaded for this request (Node IncomingMessage or Fetch Request). */
  session(request: object): Session<Data> {
    const session = this.#byRequest.get(request);
    if (!session) throw new SessionNotLoadedError();
    return session;
  }

  /**
   * Loads the session named by a Cookie header. A missing, malformed, unknown, expired or
   * unreadable cookie yields a new empty session (reported as a `rejected` event); only a
   * store failure rejects.
   */
  async load(
    cookieHeader: string | null | undefined,
    client: ClientInfo = {},
    options?: CallOptions,
  ): Promise<Session<Data>> {
    const token = readCookie(cookieHeader, this.options.cookie.name);
    if (token === undefined) return new Session<Data>(this.#context, client);
    if (!isWellFormedToken(token)) return this.#reject(client, null, 'malformed-token');

    const id = tokenToId(token);
    const record = await this.#find(id, options);
    if (record === 'corrupt') return this.#reject(client, id, 'corrupt-data');
    if (!record) return this.#reject(client, id, 'unknown-token');
    const envelope = this.#decode(record);
    if (!envelope) return this.#reject(client, id, 'corrupt-data');

    const now = this.options.clock();
    if (envelope.deadline <= now) return this.#reject(client, id, 'absolute-timeout');
    const idle = this.options.idleTimeoutMs;
    if (idle > 0 && record.lastSeenAt + idle <= now) {
      return this.#reject(client, id, 'idle-timeout');
    }
    const binding = this.options.binding;
    const mismatch = binding !== undefined && bindingMismatch(binding, envelope.client, client);
    if (mismatch && binding.onMismatch === 'reject') {
      return this.#reject(client, id, 'binding-mismatch');
    }
    const session = new Session<Data>(this.#context, client, { token, record, envelope });
    if (mismatch) await session.renewAfterBindingMismatch();
    this.events.emit('loaded', {
      time: now,
      sessionId: id,
      userId: record.userId,
      ...client,
    });
    return session;
  }

  /** @internal Associates a loaded session with the request object the adapters receive. */
  attach(request: object, session: Session<Data>): void {
    this.#byRequest.set(request, session);
  }

  /**
   * Visits every stored session (stores with the `iterate` capability), page by page.
   * The callback may change or destroy the session; changes are committed after it returns.
   */
  async iterate(
    visit: (session: Session<Data>) => void | Promise<void>,
    options?: CallOptions,
  ): Promise<void> {
    const { store } = this.options;
    if (!supports(store, 'iterate')) {
      throw new ConfigurationError('this store does not declare the iterate capability');
    }
    for await (const record of store.iterate(options)) {
      const envelope = this.#decode(record);
      if (!envelope) continue;
      const session = new Session<Data>(this.#context, {}, { token: null, record, envelope });
      await visit(session);
      await session.commit();
    }
  }

  // ---- per-user management (stores with the userIndex capability) ----

  /**
   * A user's live sessions for a "your devices" page, oldest first. Pass the current request
   * (or its Session) to mark which one is "this device".
   */
  async listUserSessions(
    userId: string | null,
    options: CallOptions & { current?: object | null | undefined } = {},
  ): Promise<UserSessionInfo[]> {
    // An anonymous visitor (`session.userId` is null) has no sessions to list.
    if (userId === null) return [];
    return this.#users.list(userId, this.#currentId(options.current), options);
  }

  /**
   * Revokes one of the user's sessions by the id listUserSessions showed. Ids of other users'
   * sessions are refused (returns false), so the id can come straight from a form.
   */
  async revokeSession(
    userId: string,
    sessionId: string,
    options: CallOptions & { reason?: RevokeReason | undefined } = {},
  ): Promise<boolean> {
    return this.#users.revokeOne(userId, sessionId, options.reason ?? 'user', options);
  }

  /**
   * Revokes every session of a user in one store call, from a request or from a script.
   * `except` keeps one session (a request or Session object, or a stored id): "sign out
   * everywhere else".
   */
  async revokeUser(
    userId: string,
    options: CallOptions & {
      except?: object | string | null | undefined;
      reason?: RevokeReason | undefined;
    } = {},
  ): Promise<number> {
    const except =
      typeof options.except === 'string' ? options.except : this.#currentId(options.except);
    return this.#users.revokeAll(userId, { ...options, except });
  }

  /** How many live sessions the store holds (iterates: for jobs and dashboards, not requests). */
  async countSessions(options?: CallOptions): Promise<number> {
    const { store } = this.options;
    if (!supports(store, 'iterate')) {
      throw new ConfigurationError('this store does not declare the iterate capability');
    }
    let count = 0;
    for await (const _ of store.iterate(options)) count++;
    return count;
  }

  #currentId(current: object | null | undefined): string | null {
    if (!current) return null;
    if (current instanceof Session) return current.id;
    return this.#byRequest.get(current)?.id ?? null;
  }

  /** A store may report an unreadable row as CorruptDataError: that is "no session", not a 500. */
  async #find(id: string, options?: CallOptions): Promise<StoredSession | null | 'corrupt'> {
    try {
      return await this.options.store.find(id, storeCall(this.options, options));
    } catch (error) {
      if (!(error instanceof CorruptDataError)) throw error;
      this.events.emit('error', {
        time: this.options.clock(),
        sessionId: id,
        userId: null,
        error,
        phase: 'load',
      });
      return 'corrupt';
    }
  }

  #decode(record: StoredSession): SessionEnvelope | null {
    try {
      return this.options.codec.decode(record.data);
    } catch (error) {
      this.events.emit('error', {
        time: this.options.clock(),
        sessionId: record.id,
        userId: record.userId,
        error,
        phase: 'load',
      });
      return null;
    }
  }

  #reject(
    client: ClientInfo,
    sessionId: string | null,
    reason: SessionEventMap['rejected']['reason'],
  ): Session<Data> {
    this.events.emit('rejected', {
      time: this.options.clock(),
      sessionId,
      userId: null,
      reason,
      ...client,
    });
    const session = new Session<Data>(this.#context, client);
    session.clearCookieUnlessWritten();
    return session;
  }
}
