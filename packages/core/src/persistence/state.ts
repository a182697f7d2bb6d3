import { ChangeLog } from '../changes.js';
import type { SessionEnvelope } from '../codec.js';
import type { SessionEventMap, SessionEvents } from '../events.js';
import type { ResolvedOptions } from '../options.js';
import type { StoredSession } from '../store/contract.js';
import { tokenToId } from '../token.js';
import { expiresAt } from './rules.js';

/** What the request tells about its client, recorded on new sessions and used by events. */
export interface ClientInfo {
  userAgent?: string | undefined;
  ip?: string | undefined;
}

/**
 * A plain copy of a client, for recording and events. Reads the fields by name rather than
 * spreading: adapters may pass an object whose fields are lazy getters on its prototype.
 */
export function copyClient(client: ClientInfo): ClientInfo {
  const copy: ClientInfo = {};
  const { userAgent, ip } = client;
  if (userAgent !== undefined) copy.userAgent = userAgent;
  if (ip !== undefined) copy.ip = ip;
  return copy;
}

export type SessionStatus = 'unmodified' | 'modified' | 'destroyed';

/** What a session needs from the manager that made it. */
export interface SessionContext {
  options: ResolvedOptions;
  events: SessionEvents;
  /** Runs after a commit that assigned a user (signIn / setUser): enforces per-user limits. */
  afterSignIn?: ((userId: string) => Promise<void>) | undefined;
}

/** The persisted state this session was loaded from (or last committed as). */
export interface Persisted {
  id: string;
  version: number;
  lastSeenAt: number;
}

export type CookieAction = 'set' | 'clear' | null;

/** Fields besides the values that a request can set; a rebase keeps these and nothing else. */
export type OwnField = 'user' | 'persist' | 'deadline';

/**
 * One session as one request sees it: the Session class is its user API, the persistence
 * functions read and write it. Never exported from the package.
 */
export interface SessionState {
  readonly ctx: SessionContext;
  /** The client of the request holding this state. */
  readonly client: ClientInfo;
  /** The value changes this request made (replayed on a rebase). */
  readonly changes: ChangeLog;
  /** The other fields this request set (kept on a rebase; the rest comes from the fresh row). */
  readonly set: Set<OwnField>;
  /** The token the client holds (or will be sent); null for sessions reached by id only. */
  token: string | null;
  persisted: Persisted | null;
  values: Record<string, unknown>;
  deadline: number;
  createdAt: number;
  userId: string | null;
  persist: boolean | undefined;
  recordedClient: ClientInfo | undefined;
  status: SessionStatus;
  cookieAction: CookieAction;
  sealed: boolean;
}

export interface Loaded {
  token: string | null;
  record: StoredSession;
  envelope: SessionEnvelope;
}

export function newState(ctx: SessionContext, client: ClientInfo, loaded?: Loaded): SessionState {
  // One object literal per case, no spread of a shared base: this runs on every request.
  if (!loaded) {
    const now = ctx.options.clock();
    return {
      ctx,
      client,
      changes: new ChangeLog(),
      set: new Set<OwnField>(),
      token: null,
      persisted: null,
      values: {},
      deadline: now + ctx.options.lifetimeMs,
      createdAt: now,
      userId: null,
      persist: undefined,
      recordedClient: undefined,
      status: 'unmodified',
      cookieAction: null,
      sealed: false,
    };
  }
  const { record, envelope } = loaded;
  return {
    ctx,
    client,
    changes: new ChangeLog(),
    set: new Set<OwnField>(),
    token: loaded.token,
    persisted: { id: record.id, version: record.version, lastSeenAt: record.lastSeenAt },
    values: envelope.values,
    deadline: envelope.deadline,
    createdAt: record.createdAt,
    userId: record.userId,
    persist: envelope.persist,
    recordedClient: envelope.client,
    status: 'unmodified',
    cookieAction: null,
    sealed: false,
  };
}

export function idOf(state: SessionState): string | null {
  return state.persisted?.id ?? (state.token === null ? null : tokenToId(state.token));
}

export function expiresAtOf(state: SessionState, lastSeenAt: number): number {
  return expiresAt(state.ctx.options, state.deadline, lastSeenAt);
}

/** The session ends for this client: no token, no values, cookie cleared. */
export function forget(state: SessionState): void {
  state.token = null;
  state.persisted = null;
  state.values = {};
  state.userId = null;
  state.persist = undefined;
  state.changes.reset();
  state.set.clear();
  state.cookieAction = 'clear';
}

type Emitted = Exclude<keyof SessionEventMap, 'error' | 'loaded' | 'revoked'>;

/** Emits a lifecycle event about this session, with this request's client. */
export function emit<K extends Emitted>(
  state: SessionState,
  type: K,
  extra: Omit<SessionEventMap[K], 'time' | 'sessionId' | 'userId' | 'ip' | 'userAgent'>,
): void {
  if (!state.ctx.events.listens(type)) return;
  state.ctx.events.emit(type, {
    time: state.ctx.options.clock(),
    sessionId: idOf(state),
    userId: state.userId,
    ip: state.client.ip,
    userAgent: state.client.userAgent,
    ...extra,
  } as SessionEventMap[K]);
}

/** Reports a failure about this session on the `error` event. */
export function reportError(
  state: SessionState,
  error: unknown,
  phase: SessionEventMap['error']['phase'],
): void {
  state.ctx.events.emit('error', {
    time: state.ctx.options.clock(),
    sessionId: idOf(state),
    userId: state.userId,
    error,
    phase,
  });
}
