import { randomInt } from 'node:crypto';
import type { ScenarioId } from './scenarios.ts';

/** The little each session library has to offer the shared handler. */
export interface SessionAccess {
  get(key: 'userId' | 'counter'): unknown;
  set(key: 'userId' | 'counter', value: unknown): void;
  /** The library's idiomatic sign-in: a fresh session id (fixation defence) for this user. */
  signIn(userId: string): Promise<void>;
}

export interface Reply {
  status: number;
  body: string;
}

/**
 * The request handler every session contender runs. A seeded session that does not come
 * back answers 500, so a broken cookie or store shows up as non-2xx responses (a failure),
 * never as a fast empty benchmark.
 */
export async function handle(scenario: ScenarioId, session: SessionAccess): Promise<Reply> {
  if (scenario === 'S3') {
    const userId = `user${randomInt(1_000_000)}`;
    await session.signIn(userId);
    session.set('counter', 0);
    return ok(userId, 0);
  }
  const userId = session.get('userId');
  const counter = session.get('counter');
  if (typeof userId !== 'string' || typeof counter !== 'number') {
    return { status: 500, body: '{"error":"seeded session not found"}' };
  }
  if (scenario === 'S1') {
    session.set('counter', counter + 1);
    return ok(userId, counter + 1);
  }
  return ok(userId, counter);
}

function ok(userId: string, counter: number): Reply {
  return { status: 200, body: JSON.stringify({ userId, counter }) };
}

/** What the ceilings answer: the same shape of body, with no session behind it. */
export const CEILING_BODY = JSON.stringify({ userId: 'user0', counter: 0 });
