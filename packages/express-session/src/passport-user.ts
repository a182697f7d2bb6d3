import type { SessionData } from '@hallpass/core';

/**
 * Which hallpass user a session's values belong to, for the per-user index (device lists,
 * `revokeUser`). Returns null for "nobody signed in".
 */
export type UserFromSession = (values: Readonly<SessionData>) => string | null;

/**
 * The default: passport's `req.session.passport.user`, which holds whatever the app's
 * `serializeUser` returned. A string or number is the user id; an object is read for a
 * string or number `id`. Anything else (no passport data, a shape we cannot read) is null.
 */
export const passportUser: UserFromSession = (values) => {
  const passport = values.passport;
  if (typeof passport !== 'object' || passport === null) return null;
  return userIdOf((passport as { user?: unknown }).user);
};

function userIdOf(user: unknown): string | null {
  if (typeof user === 'string') return user === '' ? null : user;
  if (typeof user === 'number' && Number.isFinite(user)) return String(user);
  if (typeof user === 'object' && user !== null && 'id' in user) {
    const id = (user as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return userIdOf(id);
  }
  return null;
}
