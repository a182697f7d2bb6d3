import { parseCookie, stringifySetCookie } from 'cookie';
import type { ResolvedCookieOptions } from './options.js';

/**
 * Most values of the session cookie's name tried per request. A browser sends one value per
 * stored cookie of that name; more than a handful means somebody planted them, and each
 * well-formed one costs a store lookup.
 */
export const MAX_COOKIE_VALUES = 4;

/**
 * Every distinct value the Cookie header carries for `name`, in header order, at most
 * `MAX_COOKIE_VALUES`. A browser sends one pair per matching cookie and tells nothing about
 * which cookie is which: RFC 6265 §5.4 orders them by path (more specific first), then by
 * creation time (older first), and sends no Domain or Path. So a cookie planted by a sibling
 * subdomain (`Domain=.example.com`) or for a longer path can come first; the caller tries the
 * values in turn instead of trusting the first.
 */
export function readCookieValues(header: string | null | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    // The parser takes a name as written (trimmed, never decoded), so a pair that does not
    // contain `name` cannot carry its value: most of a browser's cookies skip the parser.
    if (!pair.includes(name)) continue;
    // One pair at a time through the parser (which splits on ";" too, and never throws on a
    // string), so each value is decoded as it would be alone; on the whole header it would
    // keep only the first value of the name.
    const value = parseCookie(pair)[name];
    if (value === undefined || values.includes(value)) continue;
    values.push(value);
    if (values.length === MAX_COOKIE_VALUES) break;
  }
  return values;
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
