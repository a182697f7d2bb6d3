import { parseCookie, stringifySetCookie } from 'cookie';
import signature from 'cookie-signature';

/**
 * The session id inside an express-session cookie, or null. express-session sends
 * `s:<id>.<HMAC-SHA256 of id>`; the signature is checked with each secret in turn (newest
 * first, as express-session does), so sessions signed before a secret rotation still import.
 * Unsigned or badly signed values are refused, exactly as express-session refuses them.
 */
export function legacySessionId(
  cookieHeader: string | undefined,
  name: string,
  secrets: readonly string[],
): string | null {
  if (!cookieHeader) return null;
  const value = parseCookie(cookieHeader)[name];
  if (value === undefined || !value.startsWith('s:')) return null;
  for (const secret of secrets) {
    const sid = signature.unsign(value.slice(2), secret);
    if (sid !== false && sid !== '') return sid;
  }
  return null;
}

export interface LegacyCookieOptions {
  /** express-session's `name`. Default `connect.sid`. */
  name?: string;
  /** express-session's `cookie.path`, needed to clear the cookie. Default `/`. */
  path?: string;
  /** express-session's `cookie.domain`, needed to clear the cookie. */
  domain?: string;
}

/** A Set-Cookie that makes the browser drop the legacy cookie. */
export function clearedLegacyCookie(
  options: Required<Pick<LegacyCookieOptions, 'name' | 'path'>> & LegacyCookieOptions,
): string {
  return stringifySetCookie({
    name: options.name,
    value: '',
    path: options.path,
    domain: options.domain,
    expires: new Date(0),
    httpOnly: true,
  });
}
