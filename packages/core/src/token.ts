import { hash, randomFillSync } from 'node:crypto';

/** 32 bytes = 256 bits from the CSPRNG, as OWASP asks for at least 64 bits of entropy. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Random bytes are drawn from the CSPRNG for 128 tokens at once and each byte is handed out
 * once, as Node's own crypto.randomUUID() does: one draw cost about 8 µs on the benchmark's
 * VM, a tenth of a sign-in request's CPU (see bench/ANALYSIS.md).
 */
const POOL_BYTES = TOKEN_BYTES * 128;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** A new session token: 32 random bytes, base64url without padding (43 characters). */
export function generateToken(): string {
  // Stryker disable next-line ConditionalExpression: equivalent, drawing on every call hands out fresh random bytes all the same
  if (used === POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const token = pool.toString('base64url', used, used + TOKEN_BYTES);
  used += TOKEN_BYTES;
  return token;
}

/**
 * Whether a cookie value has the exact shape of a token we issue. Anything else is treated
 * as "no session" without a store round trip, so garbage cookies cost nothing.
 */
export function isWellFormedToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/**
 * The store id for a token: SHA-256, base64url. Stores and logs only ever see this, so a
 * leaked table cannot be replayed as cookies. Lookups go through the hash, so no secret is
 * ever compared byte by byte in application code (no timing side channel).
 */
export function tokenToId(token: string): string {
  // One-shot hash: no Hash object per request (it runs on every request that brings a cookie).
  return hash('sha256', token, 'base64url');
}
