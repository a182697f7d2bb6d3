import type { Session, SessionData } from '../session.js';

/**
 * Header rules shared by the Node and Fetch adapters: exactly one Set-Cookie per cookie
 * name, and caches told that the response depends on the cookie and must not store the
 * Set-Cookie (RFC 9111 no-cache with a field name), without clobbering what the app set.
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

/**
 * For integrations (Fastify, Hono, your own): the header values a response needs for this
 * session, or undefined when it needs none. Call it once the session is committed, before the
 * headers are sent.
 */
export function sessionResponseHeaders<D extends SessionData>(
  session: Session<D>,
  current: CurrentSessionHeaders,
): SessionHeaderUpdate | undefined {
  const cookie = session.setCookieHeader();
  if (cookie === undefined) return undefined;
  return {
    setCookie: withSessionCookie(current.setCookie, session.cookieName, cookie),
    vary: appendListToken(current.vary, VARY_TOKEN),
    cacheControl: appendListToken(current.cacheControl, CACHE_CONTROL_TOKEN),
  };
}
