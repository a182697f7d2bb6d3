import {
  assertValidId,
  InvalidInputError,
  type IterableStore,
  type IterateOptions,
  type StoredSession,
  throwIfAborted,
} from '@hallpass/core';

/**
 * Checks the arguments of touch before any store sees them. The wrappers do it themselves so
 * they refuse bad input alike whatever store they wrap (core validates records, not touches).
 */
export function assertValidTouch(id: unknown, expiresAt: unknown, lastSeenAt: unknown): void {
  assertValidId(id);
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    throw new InvalidInputError('expiresAt must be a finite epoch-millisecond number');
  }
  if (typeof lastSeenAt !== 'number' || !Number.isFinite(lastSeenAt)) {
    throw new InvalidInputError('lastSeenAt must be a finite epoch-millisecond number');
  }
}

/** The wrapped store's iteration, refused up front when the signal has already fired. */
export async function* iterateChecked(
  inner: IterableStore,
  options?: IterateOptions,
): AsyncGenerator<StoredSession> {
  throwIfAborted(options?.signal);
  yield* inner.iterate(options);
}
