import type { Session, SessionData } from '../session.js';

/**
 * Header rules every adapter shares: exactly one Set-Cookie per cookie name, and caches told
 * that the response depends on the cookie (`Vary: Cookie`), is one user's (`private`: no
 * shared cache may store it, RFC 9111 §5.2.2.7) and must not have its Set-Cookie stored
 * (`no-cache="Set-Cookie"`), without clobbering what the app set.
 */

/** Replaces any Set-Cookie for `name` with `cookie`, keeping the app's other cookies. */
export function withSessionCookie(
  existing: readonly string[],
  name: string,
  cookie: string,
): string[] {
  const prefix = `${name}=`;
  return [...existing.filter((line) => !line.trimStart().startsWith(prefix)), cookie];
}

/** Adds `token` to a comma-separated header value unless it is already there. */
export function appendListToken(current: string | undefined | null, token: string): string {
  if (!current) return token;
  const present = current
    .split(',')
    .some((part) => part.trim().toLowerCase() === token.toLowerCase());
  return present ? current : `${current}, ${token}`;
}

export const VARY_TOKEN = 'Cookie';
export const PRIVATE_TOKEN = 'private';
export const CACHE_CONTROL_TOKEN = 'no-cache="Set-Cookie"';

/** A response's current values of the headers hallpass may change. */
export interface CurrentSessionHeaders {
  setCookie: readonly string[];
  vary?: string | null | undefined;
  cacheControl?: string | null | undefined;
}

/** What those headers become when the response carries the session cookie. */
export interface SessionHeaderUpdate {
  setCookie: string[];
  vary: string;
  cacheControl: string;
}

/** A header value as frameworks hold it (string, number, list or nothing), as a list of lines. */
export function headerLines(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/**
 * The header values a response needs for this session, or undefined when it needs none.
 * Prefer `manager.begin()`, whose `headers()` is the same and belongs to the request.
 */
export function sessionResponseHeaders<D extends SessionData>(
  session: Session<D>,
  current: CurrentSessionHeaders,
): SessionHeaderUpdate | undefined {
  return mergeSessionHeaders(
    current,
    session.cookieName,
    session.setCookieHeader(),
    !session.isNew,
  );
}

/**
 * The headers for a response that carries `cookie` (a Set-Cookie line for `name`) or whose
 * request read a stored session (`readSession`), merged into `current`; undefined for a
 * response that involves no session. A read-only response of a signed-in user sets no cookie
 * but is still that user's page: it gets Vary and `private` too.
 */
export function mergeSessionHeaders(
  current: CurrentSessionHeaders,
  name: string,
  cookie: string | undefined,
  readSession = false,
): SessionHeaderUpdate | undefined {
  if (cookie === undefined && !readSession) return undefined;
  const cacheControl = appendListToken(current.cacheControl, PRIVATE_TOKEN);
  return {
    setCookie:
      cookie === undefined
        ? [...current.setCookie]
        : withSessionCookie(current.setCookie, name, cookie),
    vary: appendListToken(current.vary, VARY_TOKEN),
    cacheControl:
      cookie === undefined ? cacheControl : appendListToken(cacheControl, CACHE_CONTROL_TOKEN),
  };
}
