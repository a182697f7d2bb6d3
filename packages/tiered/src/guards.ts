import {
  type IterableStore,
  type IterateOptions,
  type StoredSession,
  throwIfAborted,
} from '@hallpass/core';

/** The wrapped store's iteration, refused up front when the signal has already fired. */
export async function* iterateChecked(
  inner: IterableStore,
  options?: IterateOptions,
): AsyncGenerator<StoredSession> {
  throwIfAborted(options?.signal);
  yield* inner.iterate(options);
}
