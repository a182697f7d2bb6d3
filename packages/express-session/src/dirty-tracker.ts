import { isDeepStrictEqual } from 'node:util';
import type { Session } from '@hallpass/core';

const UNCLONEABLE = Symbol('uncloneable');

/**
 * express-session saves a session whose objects were changed in place
 * (`req.session.cart.items.push(x)`, passport's `req.session.passport.user = id`), because it
 * compares a hash of the whole session at the end of the request. hallpass only knows about
 * `put`. This tracker copies each object value the first time the app reads it through
 * `req.session` and, before the commit, puts back the ones that no longer equal their copy.
 * Values the app never read cannot have been changed through `req.session`, so they cost nothing.
 */
export class DirtyTracker {
  readonly #copies = new Map<string, unknown>();

  /** Called on every read through the proxy: remembers the value as it was first seen. */
  read(key: string, value: unknown): void {
    if (typeof value !== 'object' || value === null || this.#copies.has(key)) return;
    this.#copies.set(key, copyOf(value));
  }

  /** An explicit write or delete is already recorded by the session: nothing to compare. */
  forget(key: string): void {
    this.#copies.delete(key);
  }

  reset(): void {
    this.#copies.clear();
  }

  /** Puts every value that changed in place since it was read; copies what is there now. */
  flush(session: Session): void {
    for (const [key, copy] of this.#copies) {
      if (!session.exists(key)) {
        this.#copies.delete(key);
        continue;
      }
      const current = session.get(key);
      if (copy === UNCLONEABLE || !isDeepStrictEqual(copy, current)) {
        session.put(key, current);
        this.#copies.set(key, copyOf(current));
      }
    }
  }
}

function copyOf(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    // A value structuredClone cannot copy (a function, a class with private state) cannot be
    // compared: treat it as changed, as express-session's hash of it would be unreliable too.
    return UNCLONEABLE;
  }
}
