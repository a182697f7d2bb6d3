import { InvalidInputError, type SameSite } from '@hallpass/core';
import type { RequestState } from './request-state.js';

/** What express-session apps read from `req.session.cookie`. */
export interface ExpressSessionCookie {
  /**
   * Milliseconds until the session ends (its absolute deadline, or sooner by idle timeout),
   * or null for a browser-session cookie. Assigning a positive number keeps the cookie across
   * browser restarts ("remember me"); assigning null makes it a browser-session cookie. The
   * number itself does not change the lifetime: that is the SessionManager's `lifetime`.
   */
  maxAge: number | null;
  /** The manager's `lifetime` in ms for a persistent cookie, null for a browser-session one. */
  readonly originalMaxAge: number | null;
  /** When the session ends, or null for a browser-session cookie. Assignable like maxAge. */
  expires: Date | null | false;
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly sameSite: SameSite;
  readonly path: string;
  readonly domain: string | undefined;
  toJSON(): Record<string, unknown>;
}

const READ_ONLY = ['httpOnly', 'secure', 'sameSite', 'path', 'domain'] as const;

/**
 * `req.session.cookie`, read from the SessionManager's cookie options and the session's
 * expiry. Cookie attributes are the manager's for every session: assigning one is refused
 * with an error that says where to set it, rather than silently ignored.
 */
export function createCookieView(state: RequestState): ExpressSessionCookie {
  const options = state.manager.options;
  const persistent = () => state.persist ?? options.cookie.persist;
  const expires = () => (persistent() ? new Date(state.session.expiresAt) : null);
  const view = {
    get maxAge(): number | null {
      const at = expires();
      return at === null ? null : at.getTime() - options.clock();
    },
    set maxAge(value: number | null) {
      if (value === null || value === undefined) {
        state.rememberMe(false);
        return;
      }
      if (typeof value !== 'number' || !(value > 0)) {
        throw new InvalidInputError(
          'req.session.cookie.maxAge must be a positive number of milliseconds, or null for a browser-session cookie',
        );
      }
      state.rememberMe(true);
    },
    get originalMaxAge(): number | null {
      return persistent() ? options.lifetimeMs : null;
    },
    get expires(): Date | null {
      return expires();
    },
    set expires(value: Date | null | false) {
      if (value === null || value === undefined || value === false) {
        state.rememberMe(false);
        return;
      }
      if (!(value instanceof Date) || !(value.getTime() > options.clock())) {
        throw new InvalidInputError(
          'req.session.cookie.expires must be a future Date, or null for a browser-session cookie',
        );
      }
      state.rememberMe(true);
    },
    get httpOnly() {
      return options.cookie.httpOnly;
    },
    get secure() {
      return options.cookie.secure;
    },
    get sameSite() {
      return options.cookie.sameSite;
    },
    get path() {
      return options.cookie.path;
    },
    get domain() {
      return options.cookie.domain;
    },
    toJSON() {
      return {
        originalMaxAge: view.originalMaxAge,
        expires: view.expires?.toISOString() ?? null,
        secure: view.secure,
        httpOnly: view.httpOnly,
        domain: view.domain,
        path: view.path,
        sameSite: view.sameSite,
      };
    },
  };
  for (const name of READ_ONLY) {
    const descriptor = Object.getOwnPropertyDescriptor(view, name) as PropertyDescriptor;
    Object.defineProperty(view, name, {
      ...descriptor,
      set() {
        throw new InvalidInputError(
          `req.session.cookie.${name} is the SessionManager's cookie.${name}: set it there, for every session`,
        );
      },
    });
  }
  return Object.seal(view) as ExpressSessionCookie;
}
