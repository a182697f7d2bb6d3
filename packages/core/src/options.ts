import { type Codec, devalueCodec } from './codec.js';
import { type Duration, toMilliseconds } from './duration.js';
import { ConfigurationError } from './errors.js';
import type { Store } from './store/contract.js';

export type SameSite = 'lax' | 'strict' | 'none';

export interface CookieOptions {
  /** Cookie name. Default `session`. A `__Host-` name requires secure, path `/` and no domain. */
  name?: string | undefined;
  domain?: string | undefined;
  /** Default `/`. */
  path?: string | undefined;
  /** Default true: page scripts cannot read the token. */
  httpOnly?: boolean | undefined;
  /**
   * Default true: sent over HTTPS only. Browsers treat http://localhost as secure, so local
   * development works; set false only for plain-http test servers reached by other names.
   */
  secure?: boolean | undefined;
  /** Default `lax`. `none` requires secure. */
  sameSite?: SameSite | undefined;
  /** CHIPS partitioned cookie (third-party contexts). Requires secure. */
  partitioned?: boolean | undefined;
  /**
   * Default true: the cookie carries an expiry and survives browser restarts. false sends a
   * browser-session cookie. Each session can override it with `session.rememberMe()`.
   */
  persist?: boolean | undefined;
}

export interface BindingOptions {
  /** Tie the session to the IP it was created (or signed in) from. Mobile networks change IPs. */
  ip?: boolean | undefined;
  /** Tie the session to the user agent string it was created (or signed in) with. */
  userAgent?: boolean | undefined;
  /**
   * `reject` (default): a mismatching request gets no session (the stored one is kept for its
   * rightful owner). `renew`: keep the data, issue a new token and record the new client.
   */
  onMismatch?: 'reject' | 'renew' | undefined;
}

export interface SessionManagerOptions {
  store: Store;
  /** Absolute lifetime from creation (or renewal). Default `24h`. */
  lifetime?: Duration | undefined;
  /** Idle timeout: a session unused this long expires. 0 or omitted disables it. */
  idleTimeout?: Duration | undefined;
  /**
   * With an idle timeout, a request that changes nothing extends the expiry only once the
   * last write is at least this old, so read-only traffic does not rewrite the store on every
   * request. Default: a tenth of the idle timeout.
   */
  touchAfter?: Duration | undefined;
  cookie?: CookieOptions | undefined;
  /** How session values become bytes. Default: devalueCodec. */
  codec?: Codec | undefined;
  /** Largest encoded session in bytes; a larger commit throws SessionTooLargeError. Default 1 MiB. */
  maxDataBytes?: number | undefined;
  /** Times a commit re-applies its changes after losing a compare-and-set race. Default 10. */
  maxConflictRetries?: number | undefined;
  /**
   * Most concurrent sessions a user may hold (stores with the userIndex capability). A sign-in
   * beyond it revokes the user's oldest sessions. Default: unlimited.
   */
  maxSessionsPerUser?: number | undefined;
  /** Opt-in binding of a session to its client's IP and/or user agent. */
  binding?: BindingOptions | undefined;
  /**
   * Deadline for each store call a request makes (load, commit, destroy, renew). A call that
   * takes longer is aborted through its AbortSignal and the request answers 503, so a stalled
   * backend cannot hold requests until the driver's own timeouts. Default: none.
   */
  storeTimeout?: Duration | undefined;
  /**
   * The time source for every expiry, idle, touch and event-time decision, in epoch
   * milliseconds. Default `Date.now`. Tests pass a controllable clock instead of sleeping;
   * give the store the same clock.
   */
  clock?: (() => number) | undefined;
}

export interface ResolvedCookieOptions {
  name: string;
  domain: string | undefined;
  path: string;
  httpOnly: boolean;
  secure: boolean;
  sameSite: SameSite;
  partitioned: boolean;
  persist: boolean;
}

export interface ResolvedOptions {
  store: Store;
  lifetimeMs: number;
  idleTimeoutMs: number;
  touchAfterMs: number;
  cookie: ResolvedCookieOptions;
  codec: Codec;
  maxDataBytes: number;
  maxConflictRetries: number;
  maxSessionsPerUser: number | undefined;
  binding: Required<BindingOptions> | undefined;
  storeTimeoutMs: number;
  clock: () => number;
}

/** RFC 6265 cookie-name token characters. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function resolveCookieOptions(cookie: CookieOptions = {}): ResolvedCookieOptions {
  const resolved: ResolvedCookieOptions = {
    name: cookie.name ?? 'session',
    domain: cookie.domain,
    path: cookie.path ?? '/',
    httpOnly: cookie.httpOnly ?? true,
    secure: cookie.secure ?? true,
    sameSite: cookie.sameSite ?? 'lax',
    partitioned: cookie.partitioned ?? false,
    persist: cookie.persist ?? true,
  };
  const { name } = resolved;
  if (!COOKIE_NAME.test(name)) {
    throw new ConfigurationError(`cookie name ${JSON.stringify(name)} is not a valid cookie name`);
  }
  if (!['lax', 'strict', 'none'].includes(resolved.sameSite)) {
    throw new ConfigurationError('cookie.sameSite must be lax, strict or none');
  }
  // The rules browsers enforce: a cookie that breaks them is silently dropped, which would
  // look like "sessions do not work". Refuse at start-up instead.
  if (name.startsWith('__Host-')) {
    if (!resolved.secure || resolved.path !== '/' || resolved.domain !== undefined) {
      throw new ConfigurationError('a __Host- cookie needs secure: true, path "/" and no domain');
    }
  }
  if (name.startsWith('__Secure-') && !resolved.secure) {
    throw new ConfigurationError('a __Secure- cookie needs secure: true');
  }
  if (resolved.sameSite === 'none' && !resolved.secure) {
    throw new ConfigurationError('sameSite "none" needs secure: true');
  }
  if (resolved.partitioned && !resolved.secure) {
    throw new ConfigurationError('a partitioned cookie needs secure: true');
  }
  return resolved;
}

export function resolveOptions(options: SessionManagerOptions): ResolvedOptions {
  if (!options || typeof options.store?.find !== 'function') {
    throw new ConfigurationError('SessionManager needs a store');
  }
  const lifetimeMs = toMilliseconds(options.lifetime ?? '24h', 'lifetime');
  if (lifetimeMs <= 0) throw new ConfigurationError('lifetime must be longer than 0');
  const idleTimeoutMs = toMilliseconds(options.idleTimeout ?? 0, 'idleTimeout');
  if (idleTimeoutMs > lifetimeMs) {
    throw new ConfigurationError('idleTimeout cannot be longer than lifetime');
  }
  const touchAfterMs =
    options.touchAfter === undefined
      ? Math.floor(idleTimeoutMs / 10)
      : toMilliseconds(options.touchAfter, 'touchAfter');
  if (idleTimeoutMs > 0 && touchAfterMs >= idleTimeoutMs) {
    throw new ConfigurationError('touchAfter must be shorter than idleTimeout');
  }
  const maxDataBytes = options.maxDataBytes ?? 1024 * 1024;
  if (!Number.isInteger(maxDataBytes) || maxDataBytes <= 0) {
    throw new ConfigurationError('maxDataBytes must be a positive integer');
  }
  return {
    store: options.store,
    lifetimeMs,
    idleTimeoutMs,
    touchAfterMs,
    cookie: resolveCookieOptions(options.cookie),
    codec: options.codec ?? devalueCodec,
    maxDataBytes,
    maxConflictRetries: options.maxConflictRetries ?? 10,
    maxSessionsPerUser: resolveSessionLimit(options),
    storeTimeoutMs: toMilliseconds(options.storeTimeout ?? 0, 'storeTimeout'),
    clock: resolveClock(options.clock),
    binding: options.binding && {
      ip: options.binding.ip ?? false,
      userAgent: options.binding.userAgent ?? false,
      onMismatch: options.binding.onMismatch ?? 'reject',
    },
  };
}

function resolveClock(clock: SessionManagerOptions['clock']): () => number {
  if (clock === undefined) return Date.now;
  if (typeof clock !== 'function') throw new ConfigurationError('clock must be a function');
  return clock;
}

function resolveSessionLimit(options: SessionManagerOptions): number | undefined {
  const limit = options.maxSessionsPerUser;
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ConfigurationError('maxSessionsPerUser must be a whole number of at least 1');
  }
  if (!options.store.capabilities.userIndex) {
    throw new ConfigurationError('maxSessionsPerUser needs a store with the userIndex capability');
  }
  return limit;
}

/** Options for one store call: the caller's, plus the storeTimeout deadline when one is set. */
export function storeCall<T extends { signal?: AbortSignal }>(
  options: ResolvedOptions,
  extra: T = {} as T,
): T {
  if (options.storeTimeoutMs <= 0) return extra;
  const timeout = AbortSignal.timeout(options.storeTimeoutMs);
  return { ...extra, signal: extra.signal ? AbortSignal.any([extra.signal, timeout]) : timeout };
}
