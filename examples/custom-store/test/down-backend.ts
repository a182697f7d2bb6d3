import type { Row } from '../src/map-store.js';

/**
 * A backend that is down: every access fails, as a client whose server has gone away does. The
 * conformance suite's `unavailable` option runs the store over it and expects every call to
 * reject with StoreUnavailableError (BaseStore maps the error, keeping it as `cause`). Used by
 * this example's conformance setup (setup.ts).
 */
export class DownBackend extends Map<string, Row> {
  override get(): never {
    throw down();
  }
  override set(): never {
    throw down();
  }
  override delete(): never {
    throw down();
  }
  override has(): never {
    throw down();
  }
  override entries(): never {
    throw down();
  }
  override [Symbol.iterator](): never {
    throw down();
  }
}

function down(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
}
