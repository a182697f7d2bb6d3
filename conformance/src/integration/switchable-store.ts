import { type Store, StoreUnavailableError } from '@hallpass/core';

/** A store whose backend can be "switched off" in tests, as a real outage would. */
export type SwitchableStore<S extends Store> = S & { down: boolean };

/**
 * Wraps a real store so that, while `down` is true, every method call rejects with
 * StoreUnavailableError as a store whose backend went away does. For testing how an
 * integration answers an outage (503) and recovers.
 */
export function switchable<S extends Store>(store: S): SwitchableStore<S> {
  let down = false;
  return new Proxy(store, {
    get(target, property) {
      if (property === 'down') return down;
      // Read from the target itself: stores with private fields reject a proxy as `this`.
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'close') return value.bind(target);
      return (...args: unknown[]) => {
        if (down) return Promise.reject(new StoreUnavailableError('test backend is switched off'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
    set(target, property, value, receiver) {
      if (property === 'down') {
        down = Boolean(value);
        return true;
      }
      return Reflect.set(target, property, value, receiver);
    },
  }) as SwitchableStore<S>;
}
