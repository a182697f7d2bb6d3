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
