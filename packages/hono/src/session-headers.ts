/**
 * The header rules core's Node and Fetch adapters follow, restated for Hono (Fetch API) responses
 * (core keeps its helpers private): exactly one Set-Cookie for the session cookie, and caches
 * told the response depends on the cookie and must not store the Set-Cookie.
 */

export const VARY_TOKEN = 'Cookie';
export const CACHE_CONTROL_TOKEN = 'no-cache="Set-Cookie"';

/** Replaces any Set-Cookie line for `name` with `cookie`, keeping the app's other cookies. */
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
