import { createHmac, randomBytes } from 'node:crypto';
import { devalueCodec, generateToken, type Store, tokenToId } from '@hallpass/core';
import type { Store as ExpressSessionStore, SessionData } from 'express-session';
import { COOKIE_NAME, LIFETIME_MS, SECRET } from './apps.ts';
import { S4_TOUCH_AFTER_MS, type Scenario } from './scenarios.ts';

/**
 * Seeds the sessions the read scenarios pick from, straight into the contender's store in
 * each library's own stored format, and returns one Cookie header per session.
 * Sessions belong to users `user0..`, four sessions per user.
 */
const PARALLEL = 64;

async function inBatches(count: number, seedOne: (i: number) => Promise<string>) {
  const cookies: string[] = new Array(count);
  for (let start = 0; start < count; start += PARALLEL) {
    const end = Math.min(count, start + PARALLEL);
    const batch: Promise<void>[] = [];
    for (let i = start; i < end; i++) {
      batch.push(
        seedOne(i).then((cookie) => {
          cookies[i] = cookie;
        }),
      );
    }
    await Promise.all(batch);
  }
  return cookies;
}

/**
 * With an idle timeout, a real population of sessions was last written at many moments:
 * spread last-seen over the past touchAfter, as in steady state (the warm-up then washes out
 * what is left of the seeding).
 */
function lastSeen(now: number, scenario: Scenario): number {
  return scenario.idleTimeoutMs > 0 ? now - Math.random() * S4_TOUCH_AFTER_MS : now;
}

export function seedHallpass(store: Store, count: number, scenario: Scenario): Promise<string[]> {
  const now = Date.now();
  const deadline = now + LIFETIME_MS;
  return inBatches(count, async (i) => {
    const token = generateToken();
    const userId = `user${Math.floor(i / 4)}`;
    const seen = lastSeen(now, scenario);
    const expiresAt =
      scenario.idleTimeoutMs > 0 ? Math.min(deadline, seen + scenario.idleTimeoutMs) : deadline;
    const result = await store.create(tokenToId(token), {
      data: devalueCodec.encode({ deadline, values: { userId, counter: 0 } }),
      expiresAt,
      userId,
      createdAt: now,
      lastSeenAt: seen,
    });
    if (!result.ok) throw new Error('seeding a hallpass session failed');
    return `${COOKIE_NAME}=${token}`;
  });
}

/** The signed cookie value express-session expects (cookie-signature's format). */
function signedCookie(sid: string): string {
  const mac = createHmac('sha256', SECRET).update(sid).digest('base64').replace(/=+$/, '');
  return `${COOKIE_NAME}=${encodeURIComponent(`s:${sid}.${mac}`)}`;
}

export function seedExpressSession(
  store: ExpressSessionStore,
  count: number,
  scenario: Scenario,
): Promise<string[]> {
  const now = Date.now();
  const maxAge = scenario.idleTimeoutMs > 0 ? scenario.idleTimeoutMs : LIFETIME_MS;
  return inBatches(count, (i) => {
    // uid-safe(24), what express-session generates.
    const sid = randomBytes(24).toString('base64url');
    const expires = new Date(lastSeen(now, scenario) + maxAge);
    const sess = {
      cookie: {
        originalMaxAge: maxAge,
        expires,
        secure: false,
        httpOnly: true,
        path: '/',
        sameSite: 'lax',
      },
      userId: `user${Math.floor(i / 4)}`,
      counter: 0,
    } as unknown as SessionData;
    return new Promise<string>((resolve, reject) => {
      store.set(sid, sess, (error?: unknown) =>
        error ? reject(error) : resolve(signedCookie(sid)),
      );
    });
  });
}

/** Cookies of the right size for the ceilings, which ignore them. */
export function fakeCookies(count: number): string[] {
  return Array.from({ length: count }, () => `${COOKIE_NAME}=${generateToken()}`);
}
