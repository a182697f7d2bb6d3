import { parseCookie, stringifySetCookie } from 'cookie';
import type { ResolvedCookieOptions } from './options.js';

/**
 * The session cookie's value from a Cookie header, or undefined. When a browser sends the
 * name twice (a host cookie and a parent-domain cookie), the first one is the most specific.
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  try {
    return parseCookie(header)[name];
  } catch {
    // A header the parser refuses carries no usable session.
    return undefined;
  }
}

/** Set-Cookie value carrying a token; `expiresAt` only when the cookie should persist. */
export function sessionCookie(
  options: ResolvedCookieOptions,
  token: string,
  expiresAt: number | undefined,
  now: number,
): string {
  return stringifySetCookie({
    name: options.name,
    value: token,
    domain: options.domain,
    path: options.path,
    httpOnly: options.httpOnly,
    secure: options.secure,
    sameSite: options.sameSite,
    partitioned: options.partitioned,
    expires: expiresAt === undefined ? undefined : new Date(expiresAt),
    // Rounded up: a session with 0.4 s left must not send Max-Age=0, which deletes the cookie.
    maxAge: expiresAt === undefined ? undefined : Math.max(1, Math.ceil((expiresAt - now) / 1000)),
  });
}

/** Set-Cookie value that makes the browser drop the session cookie. */
export function clearedCookie(options: ResolvedCookieOptions): string {
  return stringifySetCookie({
    name: options.name,
    value: '',
    domain: options.domain,
    path: options.path,
    httpOnly: options.httpOnly,
    secure: options.secure,
    sameSite: options.sameSite,
    partitioned: options.partitioned,
    expires: new Date(0),
    maxAge: 0,
  });
}
