import { type StoredSession, StoreError } from '@hallpass/core';
import { expect } from 'vitest';
import { bytesDiff, sessionShapeProblem } from './fixtures.js';

// biome-ignore lint/suspicious/noExplicitAny: error constructors take varied arguments
type ErrorClass<E> = abstract new (...args: any[]) => E;

/**
 * Calls `call` and asserts it rejects with `type` (a StoreError subclass). A method that throws
 * synchronously instead of returning a rejected promise fails: callers chain `.catch` on it.
 */
export async function expectRejection<E extends Error>(
  call: () => Promise<unknown> | AsyncIterable<unknown>,
  type: ErrorClass<E>,
  what: string,
): Promise<E> {
  let pending: Promise<unknown>;
  try {
    const result = call();
    pending = isAsyncIterable(result) ? drain(result) : result;
  } catch (error) {
    throw new Error(`${what}: threw synchronously instead of returning a rejected promise`, {
      cause: error,
    });
  }
  let outcome: { value: unknown } | { error: unknown };
  try {
    outcome = { value: await pending };
  } catch (error) {
    outcome = { error };
  }
  if (!('error' in outcome)) {
    throw new Error(`${what}: expected a rejection with ${type.name}, but it resolved`);
  }
  const { error } = outcome;
  if (!(error instanceof type)) {
    const name = error instanceof Error ? error.name : typeof error;
    const hint =
      error instanceof Error && error.name === type.name
        ? ' (same name, different class: two copies of @hallpass/core are loaded; make it a peer dependency)'
        : '';
    throw new Error(`${what}: expected ${type.name}, got ${name}${hint}`, { cause: error });
  }
  expect(error, `${what}: every store error is a StoreError`).toBeInstanceOf(StoreError);
  expect(typeof (error as unknown as StoreError).code, `${what}: error code`).toBe('string');
  return error;
}

async function drain(iterable: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of iterable) count++;
  return count;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Promise) &&
    Symbol.asyncIterator in value
  );
}

/** Asserts `actual` holds exactly the bytes of `expected`. */
export function expectBytes(actual: unknown, expected: Uint8Array, what = 'data'): void {
  const diff = bytesDiff(actual, expected);
  if (diff !== null) throw new Error(`${what}: ${diff}`);
}

/** Asserts a store returned a well-formed session (right types for every field). */
export function expectSessionShape(
  value: unknown,
  what = 'session',
): asserts value is StoredSession {
  const problem = sessionShapeProblem(value);
  if (problem !== null) throw new Error(`${what}: ${problem}`);
}

/** Asserts a found session is live and returns it (narrowed from `StoredSession | null`). */
export function expectLive(session: StoredSession | null, what = 'session'): StoredSession {
  if (session === null) throw new Error(`${what}: expected a live session, find returned null`);
  expectSessionShape(session, what);
  return session;
}

/** Asserts a session read back carries exactly the written fields. */
export function expectRecord(
  session: StoredSession | null,
  expected: {
    id: string;
    data: Uint8Array;
    expiresAt: number;
    userId: string | null;
    createdAt?: number;
    lastSeenAt: number;
  },
  what = 'session',
): StoredSession {
  const live = expectLive(session, what);
  expect(live.id, `${what}: id`).toBe(expected.id);
  expectBytes(live.data, expected.data, `${what}: data`);
  expect(live.expiresAt, `${what}: expiresAt`).toBe(expected.expiresAt);
  expect(live.userId, `${what}: userId`).toBe(expected.userId);
  if (expected.createdAt !== undefined) {
    expect(live.createdAt, `${what}: createdAt`).toBe(expected.createdAt);
  }
  expect(live.lastSeenAt, `${what}: lastSeenAt`).toBe(expected.lastSeenAt);
  return live;
}

/**
 * An assertion message that, when the test's clock (`now`) has already passed `deadline`, says
 * the test itself was too slow (so the failure is about timing.expiryMs, not the store's rules).
 */
export function beforeDeadline(what: string, deadline: number, now: number): string {
  const late = now - deadline;
  return late < 0
    ? what
    : `${what} [the test reached this point ${late}ms after the short expiry it depends on: the backend is slower than timing.expiryMs allows, raise it]`;
}
