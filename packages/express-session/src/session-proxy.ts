import type { IncomingMessage } from 'node:http';
import { InvalidInputError } from '@hallpass/core';
import { createCookieView, type ExpressSessionCookie } from './cookie-view.js';
import type { RequestState } from './request-state.js';

type Callback = (error?: unknown) => void;

/** The express-session-shaped `req.session`: values as properties, plus these members. */
export interface ExpressSession {
  /** The public session id (a hash of the token, as device lists show it); never the token. */
  readonly id: string | undefined;
  readonly cookie: ExpressSessionCookie;
  regenerate(callback: Callback): this;
  save(callback?: Callback): this;
  destroy(callback?: Callback): this;
  reload(callback: Callback): this;
  touch(): this;
  resetMaxAge(): this;
  // biome-ignore lint/suspicious/noExplicitAny: express-session's values are untyped properties
  [key: string]: any;
}

/** Where a proxy reads and writes values: the live session, or a copy once it was replaced. */
interface Values {
  get(key: string): unknown;
  has(key: string): boolean;
  keys(): string[];
  put(key: string, value: unknown): void;
  remove(key: string): void;
}

const MEMBERS = new Set([
  'id',
  'cookie',
  'regenerate',
  'save',
  'destroy',
  'reload',
  'touch',
  'resetMaxAge',
]);

export type ErrorReporter = (error: unknown, phase: 'commit' | 'destroy' | 'renew') => void;

/**
 * Puts an express-session-shaped `req.session` on the request. Reads, writes and deletes of
 * properties go to the hallpass Session (`get`/`put`/`remove`); the members express-session
 * apps call map onto the Session's lifecycle.
 */
export function installSessionProxy(
  req: IncomingMessage & { session?: ExpressSession },
  state: RequestState,
  report: ErrorReporter,
): ExpressSession {
  const cookie = createCookieView(state);
  let values: Values = liveValues(state);

  // express-session replaces req.session on regenerate and destroy; the old object keeps the
  // old values (passport's `keepSessionInfo` copies them into the new one), and writes to it
  // go nowhere.
  const endSession = async () => {
    const copy = copiedValues(state);
    await state.end();
    values = copy;
  };

  const run = (work: () => Promise<void>, phase: Parameters<ErrorReporter>[1], cb?: Callback) => {
    work().then(
      () => cb && process.nextTick(cb),
      (error: unknown) => {
        if (cb) process.nextTick(cb, error);
        else report(error, phase);
      },
    );
    return proxy;
  };

  const members: Record<string, unknown> = {
    regenerate: (cb: Callback) =>
      run(
        async () => {
          await endSession();
          req.session = installSessionProxy(req, state, report);
        },
        'renew',
        cb,
      ),
    destroy: (cb?: Callback) =>
      run(
        async () => {
          await endSession();
          delete req.session;
        },
        'destroy',
        cb,
      ),
    save: (cb?: Callback) => run(() => state.save(), 'commit', cb),
    reload: (cb: Callback) => run(() => state.reload(), 'commit', cb),
    // hallpass extends the idle expiry itself, throttled by touchAfter, and never extends the
    // absolute deadline: there is nothing to reset.
    touch: () => proxy,
    resetMaxAge: () => proxy,
  };

  const proxy = new Proxy({} as ExpressSession, {
    get(target, key, receiver) {
      if (typeof key === 'symbol') return Reflect.get(target, key, receiver);
      if (key === 'id') return state.session.id ?? undefined;
      if (key === 'cookie') return cookie;
      if (MEMBERS.has(key)) return members[key];
      if (values.has(key)) return values.get(key);
      // Object.prototype's members (hasOwnProperty, toString...) as on a plain object.
      return Reflect.get(target, key, receiver);
    },
    set(_target, key, value) {
      if (typeof key === 'symbol') return false;
      if (MEMBERS.has(key)) {
        if (key === 'cookie' && value === cookie) return true;
        throw new InvalidInputError(
          `req.session.${key} is part of the session API: it cannot be assigned`,
        );
      }
      values.put(key, value);
      return true;
    },
    defineProperty(_target, key, descriptor) {
      if (typeof key === 'symbol' || MEMBERS.has(key) || !('value' in descriptor)) return false;
      values.put(key, descriptor.value);
      return true;
    },
    deleteProperty(_target, key) {
      if (typeof key === 'symbol' || MEMBERS.has(key)) return false;
      values.remove(key);
      return true;
    },
    has(target, key) {
      if (typeof key === 'symbol') return Reflect.has(target, key);
      return MEMBERS.has(key) || values.has(key) || Reflect.has(target, key);
    },
    ownKeys() {
      return values.keys();
    },
    getOwnPropertyDescriptor(_target, key) {
      if (typeof key === 'symbol' || MEMBERS.has(key) || !values.has(key)) return undefined;
      return { value: values.get(key), writable: true, enumerable: true, configurable: true };
    },
  });

  req.session = proxy;
  return proxy;
}

function liveValues(state: RequestState): Values {
  const { session, tracker } = state;
  return {
    get(key) {
      const value = session.get(key);
      tracker.read(key, value);
      return value;
    },
    has: (key) => session.exists(key),
    keys: () => session.keys(),
    put(key, value) {
      tracker.forget(key);
      session.put(key, value);
    },
    remove(key) {
      tracker.forget(key);
      // Deleting what is not there changes nothing, as in express-session: no write.
      if (session.exists(key)) session.remove(key);
    },
  };
}

function copiedValues(state: RequestState): Values {
  const copy = new Map(Object.entries(state.values()));
  return {
    get: (key) => copy.get(key),
    has: (key) => copy.has(key),
    keys: () => [...copy.keys()],
    put: (key, value) => copy.set(key, value),
    remove: (key) => copy.delete(key),
  };
}
