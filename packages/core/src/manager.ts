import { readCookieValues } from './cookie.js';
import { ConfigurationError, SessionNotLoadedError } from './errors.js';
import type { RevokeReason, SessionEvent, SessionEventMap, SessionEventType } from './events.js';
import { errorAnswer } from './http/errors.js';
import { type FetchAdapterOptions, type FetchHandler, fetchHandler } from './http/fetch.js';
import {
  type NodeAdapterOptions,
  type NodeHandler,
  type NodeMiddleware,
  nodeHandler,
  nodeMiddleware,
} from './http/node.js';
import { type BeginResult, requestSession } from './lifecycle.js';
import { type ResolvedOptions, resolveOptions, type SessionManagerOptions } from './options.js';
import { loadCandidates } from './persistence/candidates.js';
import { decodeOrReport } from './persistence/read.js';
import { copyClient, type SessionContext } from './persistence/state.js';
import {
  type ClientInfo,
  createSession,
  renew,
  Session,
  type SessionData,
  stateOf,
  type UntypedSessionData,
} from './session.js';
import { supports } from './store/capabilities.js';
import type { CallOptions } from './store/contract.js';
import { ManagerEvents } from './unobserved-errors.js';
import { assertUserId } from './user-id.js';
import { type UserSessionInfo, UserSessions } from './user-sessions.js';

/** What a request tells `begin()`: its Cookie header and its client. */
export interface BeginOptions extends CallOptions {
  cookieHeader?: string | null | undefined;
  client?: ClientInfo | undefined;
}

/**
 * Loads and commits sessions for requests. Create one per cookie (several managers can
 * serve one request with different cookie names and stores), then install its middleware:
 * `manager.middleware()` for Node http / Connect / Express, `manager.fetch()` for Fetch API
 * handlers. Inside a request, `manager.session(req)` returns the request's Session.
 */
export class SessionManager<Data extends SessionData = UntypedSessionData> {
  readonly options: ResolvedOptions;
  readonly #events: ManagerEvents;
  readonly #context: SessionContext;
  /**
   * Where this manager keeps a request's session: a property under its own symbol (two managers
   * on one request do not meet). A WeakMap entry per request cost the garbage collector about
   * as much as the rest of a cookie-less request's session work (see bench/ANALYSIS.md).
   */
  readonly #key = Symbol('hallpass.session');
  readonly #users: UserSessions;

  constructor(options: SessionManagerOptions) {
    this.options = resolveOptions(options);
    this.#events = new ManagerEvents(this.options.logUnobservedErrors);
    this.#users = new UserSessions(
      this.options.store,
      this.options.codec,
      this.#events,
      this.options.clock,
    );
    const limit = this.options.maxSessionsPerUser;
    this.#context = {
      options: this.options,
      events: this.#events,
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
    return this.#events.on(type as '*', listener as (event: SessionEvent) => void);
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

  /**
   * Reports a failure on the `error` event, for integrations that do work of their own around
   * a session (a compatibility layer syncing values before the commit, say).
   */
  reportError(
    error: unknown,
    phase: SessionEventMap['error']['phase'],
    session?: Session<Data> | null,
  ): void {
    this.#events.emit('error', {
      time: this.options.clock(),
      sessionId: session?.id ?? null,
      userId: session?.userId ?? null,
      error,
      phase,
    });
  }

  /** The session loaded for this request (Node IncomingMessage or Fetch Request). */
  session(request: object): Session<Data> {
    const session = this.#sessionOf(request);
    if (!session) throw new SessionNotLoadedError();
    return session;
  }

  /**
   * Starts a request's session: loads it from the Cookie header and makes it the request's
   * (`manager.session(request)`). Never rejects: a store failure is reported on the `error`
   * event (phase `load`) and comes back as `{ ok: false, error, answer }`, the answer being
   * the plain 503/500 to send. See RequestSession for the rest of the request.
   */
  async begin(request: object, options: BeginOptions = {}): Promise<BeginResult<Data>> {
    let session: Session<Data>;
    try {
      // No rest spread here: it costs more than the rest of an unobserved read-only begin().
      const call = options.signal ? { signal: options.signal } : undefined;
      session = await this.load(options.cookieHeader, options.client, call);
    } catch (error) {
      this.reportError(error, 'load');
      const fail = (failure: unknown) => {
        this.reportError(failure, 'response');
        return errorAnswer(failure);
      };
      return { ok: false, error, answer: errorAnswer(error), fail };
    }
    (request as Record<symbol, unknown>)[this.#key] = session;
    return requestSession(session);
  }

  /**
   * Loads the session named by a Cookie header. A missing, malformed, unknown, expired or
   * unreadable cookie yields a new empty session (reported as a `rejected` event); only a
   * store failure rejects. Adapters use `begin()`, which also ties it to the request.
   */
  async load(
    cookieHeader: string | null | undefined,
    client: ClientInfo = {},
    options?: CallOptions,
  ): Promise<Session<Data>> {
    const ctx = this.#context;
    const values = readCookieValues(cookieHeader, this.options.cookie.name);
    const outcome = await loadCandidates(ctx, values, client, options);
    if (outcome.rejections.length > 0 && this.#events.listens('rejected')) {
      for (const { sessionId, reason } of outcome.rejections) {
        this.#events.emit('rejected', {
          time: this.options.clock(),
          sessionId,
          userId: null,
          reason,
          ...copyClient(client),
        });
      }
    }
    if (!outcome.loaded) {
      const session = createSession<Data>(ctx, client);
      if (outcome.clear) stateOf(session).cookieAction = 'clear';
      return session;
    }
    const session = createSession<Data>(ctx, client, outcome.loaded.loaded);
    if (outcome.loaded.renew) await renew(stateOf(session), 'binding-mismatch');
    if (this.#events.listens('loaded')) {
      const { record } = outcome.loaded.loaded;
      this.#events.emit('loaded', {
        time: this.options.clock(),
        sessionId: record.id,
        userId: record.userId,
        ...copyClient(client),
      });
    }
    return session;
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
      const envelope = decodeOrReport(this.#context, record, 'load');
      if (!envelope) continue;
      const session = createSession<Data>(this.#context, {}, { token: null, record, envelope });
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
    assertUserId(userId);
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
    assertUserId(userId);
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
    assertUserId(userId);
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
    return this.#sessionOf(current)?.id ?? null;
  }

  #sessionOf(request: object): Session<Data> | undefined {
    return (request as Record<symbol, Session<Data> | undefined>)[this.#key];
  }
}
