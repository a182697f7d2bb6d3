import { SessionInputError } from './errors.js';

/** Longest user id, in UTF-16 code units: what every store accepts (store/validate.ts). */
export const MAX_USER_ID_LENGTH = 256;

/** With the `u` flag a surrogate pair is one code point, so only unpaired halves match. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The one rule for user ids, checked by the manager before any store call (and before
 * `signIn` deletes the old session), so every store sees the same ids: a non-empty string of
 * at most 256 UTF-16 code units, well-formed Unicode (no lone surrogate, which Redis and
 * PostgreSQL would store differently or refuse) and no NUL (which PostgreSQL text refuses).
 * A bad id is the application's mistake, so it is a SessionInputError, not a StoreError.
 */
export function assertUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    throw new SessionInputError(
      `a user id must be a non-empty string of at most ${MAX_USER_ID_LENGTH} characters`,
    );
  }
  if (userId.includes('\u0000')) {
    throw new SessionInputError('a user id cannot contain the NUL character');
  }
  if (LONE_SURROGATE.test(userId)) {
    throw new SessionInputError('a user id must be well-formed Unicode (no lone surrogate)');
  }
}
