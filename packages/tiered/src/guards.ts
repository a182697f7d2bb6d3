import {
  type IterableStore,
  type IterateOptions,
  type Store,
  type StoreCapabilities,
  type StoredSession,
  supports,
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

/**
 * A wrapper's capabilities: exactly what the wrapped store can really do (declared and
 * implemented), so a wrapper never claims a capability its inner store lacks.
 */
export function wrappedCapabilities(inner: Store): StoreCapabilities {
  return {
    versioned: inner.capabilities.versioned,
    iterate: supports(inner, 'iterate'),
    userIndex: supports(inner, 'userIndex'),
    touch: supports(inner, 'touch'),
  };
}
