import {
  type IterableStore,
  type IterateOptions,
  type Store,
  type StoreCapabilities,
  type StoredSession,
  supports,
} from '@hallpass/core';
import type { StoreLifecycle } from '@hallpass/core/store';

/**
 * The wrapped store's iteration, refused up front when the signal has already fired or the
 * wrapper is closed (an iteration started before close() runs on in the wrapped store).
 */
export async function* iterateChecked(
  inner: IterableStore,
  lifecycle: StoreLifecycle,
  options?: IterateOptions,
): AsyncGenerator<StoredSession> {
  lifecycle.enter('iterate', options?.signal);
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
