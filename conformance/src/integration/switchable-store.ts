import { type Store, StoreUnavailableError } from '@hallpass/core';

/**
 * A store whose backend can be "switched off" in tests, as a real outage would: `down` fails
 * every call, `failWrites` only the writes (create, update, touch, delete), so a request
 * loads its session and then fails to commit it.
 */
export type SwitchableStore<S extends Store> = S & { down: boolean; failWrites: boolean };

const WRITES = new Set<PropertyKey>(['create', 'update', 'touch', 'delete']);

/**
 * Wraps a real store so that, while switched off, calls reject with StoreUnavailableError as
 * a store whose backend went away does. For testing how an integration answers an outage
 * (503) and recovers.
 */
export function switchable<S extends Store>(store: S): SwitchableStore<S> {
  let down = false;
  let failWrites = false;
  return new Proxy(store, {
    get(target, property) {
      if (property === 'down') return down;
      if (property === 'failWrites') return failWrites;
      // Read from the target itself: stores with private fields reject a proxy as `this`.
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'close') return value.bind(target);
      return (...args: unknown[]) => {
        if (down || (failWrites && WRITES.has(property))) {
          return Promise.reject(new StoreUnavailableError('test backend is switched off'));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
    set(target, property, value, receiver) {
      if (property === 'down') {
        down = Boolean(value);
        return true;
      }
      if (property === 'failWrites') {
        failWrites = Boolean(value);
        return true;
      }
      return Reflect.set(target, property, value, receiver);
    },
  }) as SwitchableStore<S>;
}
