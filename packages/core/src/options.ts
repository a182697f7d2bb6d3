import { stringifySetCookie } from 'cookie';
import { type Codec, devalueCodec } from './codec.js';
import { type Duration, toMilliseconds } from './duration.js';
import { ConfigurationError } from './errors.js';
import { assertKnownKeys } from './option-keys.js';
import { resolveClock } from './store/clock.js';
import type { Store } from './store/contract.js';
import { withDeadline } from './store/deadline.js';

export type SameSite = 'lax' | 'strict' | 'none';

export interface CookieOptions {
  /**
   * Cookie name. Default `__Host-session`: with the prefix, browsers accept the cookie only from
   * a secure origin, with Path=/ and no Domain, so no sibling subdomain or plain-HTTP page can
   * plant or overwrite it. With a `domain` or a `path` other than `/` (which `__Host-` forbids)
   * the default is `__Secure-session`; with `secure: false` (plain-HTTP development) it is
   * `session`. A `__Host-` name requires secure, path `/` and no domain.
   */
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
  /**
   * Times a commit re-applies its changes after losing a compare-and-set race: a whole
   * number, 0 or more. Default 10.
   */
  maxConflictRetries?: number | undefined;
  /**
   * Most concurrent sessions a user may hold (stores with the userIndex capability). A sign-in
   * beyond it revokes the user's oldest sessions. Default: unlimited.
   */
  maxSessionsPerUser?: number | undefined;
  /** Opt-in binding of a session to its client's IP and/or user agent. */
  binding?: BindingOptions | undefined;
  /**
   * Deadline for every store call the manager makes: a request's load, commit, destroy and
   * renew, the per-user limit, revocation, listing, each page of an iteration. A call that
   * takes longer is aborted through its AbortSignal (StoreAbortedError) and a request answers
   * 503, so a stalled backend cannot hold requests until the driver's own timeouts.
   * Default: none.
   */
  storeTimeout?: Duration | undefined;
  /**
   * Default true: when an `error` event has no listener (manager.on('error') or '*', or a
   * diagnostics_channel subscriber), the first one is written to the console with a hint, so
   * a failing store is not silent; later ones are not (no log flood). false: never log.
   */
  logUnobservedErrors?: boolean | undefined;
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
  /** The store, with `storeTimeout` applied to every call. */
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
  logUnobservedErrors: boolean;
}

/** RFC 6265 cookie-name token characters. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The default cookie name for these attributes: the strongest prefix they allow, so the
 * default never makes browsers drop the cookie (see CookieOptions.name).
 */
export function defaultCookieName(
  attributes: Pick<ResolvedCookieOptions, 'secure' | 'path' | 'domain'>,
): string {
  if (!attributes.secure) return 'session';
  return attributes.path === '/' && attributes.domain === undefined
    ? '__Host-session'
    : '__Secure-session';
}

export function resolveCookieOptions(cookie: CookieOptions = {}): ResolvedCookieOptions {
  const secure = cookie.secure ?? true;
  const path = cookie.path ?? '/';
  const resolved: ResolvedCookieOptions = {
    name: cookie.name ?? defaultCookieName({ secure, path, domain: cookie.domain }),
    domain: cookie.domain,
    path,
    httpOnly: cookie.httpOnly ?? true,
    secure,
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
  trialSerialize(resolved);
  return resolved;
}

/**
 * Why the cookie library refuses to send a cookie with this domain or path (`example.com;
 * Secure`, a path with a `;`), or undefined. Checked at construction, so the mistake fails at
 * start-up, not on the first response.
 */
export function unsendableCookie(
  attributes: Pick<CookieOptions, 'name' | 'domain' | 'path'>,
): string | undefined {
  try {
    stringifySetCookie({
      name: attributes.name ?? 'session',
      value: 'x',
      domain: attributes.domain,
      path: attributes.path,
    });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function trialSerialize(cookie: ResolvedCookieOptions): void {
  const problem = unsendableCookie(cookie);
  if (problem) throw new ConfigurationError(`cookie options cannot be sent: ${problem}`);
}

/**
 * The longest lifetime accepted: 100 years. The cookie's Expires date must stay a valid date
 * (JavaScript dates end in the year 275760); a longer lifetime is a configuration mistake.
 */
export const MAX_LIFETIME_MS = 100 * 365 * 24 * 60 * 60 * 1000;

export function resolveOptions(options: SessionManagerOptions): ResolvedOptions {
  if (!options || typeof options.store?.find !== 'function') {
    throw new ConfigurationError('SessionManager needs a store');
  }
  assertKnownKeys(options);
  const lifetimeMs = toMilliseconds(options.lifetime ?? '24h', 'lifetime');
  if (lifetimeMs <= 0) throw new ConfigurationError('lifetime must be longer than 0');
  if (lifetimeMs > MAX_LIFETIME_MS) {
    throw new ConfigurationError('lifetime must be at most 100 years (36500d)');
  }
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
  const maxConflictRetries = options.maxConflictRetries ?? 10;
  if (!Number.isInteger(maxConflictRetries) || maxConflictRetries < 0) {
    throw new ConfigurationError('maxConflictRetries must be a whole number, 0 or more');
  }
  const storeTimeoutMs = toMilliseconds(options.storeTimeout ?? 0, 'storeTimeout');
  return {
    store: withDeadline(options.store, storeTimeoutMs),
    lifetimeMs,
    idleTimeoutMs,
    touchAfterMs,
    cookie: resolveCookieOptions(options.cookie),
    codec: options.codec ?? devalueCodec,
    maxDataBytes,
    maxConflictRetries,
    maxSessionsPerUser: resolveSessionLimit(options),
    storeTimeoutMs,
    clock: resolveClock(options.clock),
    logUnobservedErrors: options.logUnobservedErrors ?? true,
    binding: resolveBinding(options.binding),
  };
}

function resolveBinding(binding: BindingOptions | undefined): Required<BindingOptions> | undefined {
  if (binding === undefined) return undefined;
  const onMismatch = binding.onMismatch ?? 'reject';
  if (onMismatch !== 'reject' && onMismatch !== 'renew') {
    throw new ConfigurationError('binding.onMismatch must be "reject" or "renew"');
  }
  return { ip: binding.ip ?? false, userAgent: binding.userAgent ?? false, onMismatch };
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
