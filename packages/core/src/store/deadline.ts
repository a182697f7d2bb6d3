import type { CallOptions, IterateOptions, Store, StoredSession } from './contract.js';

/** The caller's signal, joined with a deadline of `ms` from now. */
function withTimeout<T extends CallOptions>(ms: number, options: T | undefined): T {
  const timeout = AbortSignal.timeout(ms);
  const signal = options?.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  return { ...(options as T), signal };
}

/**
 * Iterates with a deadline per page rather than for the whole walk: a long iteration is
 * fine, a page that does not arrive within `ms` is not. The signal handed to the store is
 * re-armed each time the store yields.
 */
async function* iterateWithDeadline(
  store: Store & { iterate: NonNullable<Store['iterate']> },
  ms: number,
  options: IterateOptions | undefined,
): AsyncGenerator<StoredSession> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => controller.abort(new DOMException('store call timed out', 'TimeoutError')),
      ms,
    );
  };
  const signal = options?.signal
    ? AbortSignal.any([options.signal, controller.signal])
    : controller.signal;
  arm();
  try {
    for await (const record of store.iterate({ ...options, signal })) {
      clearTimeout(timer);
      yield record;
      arm();
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The store, with `ms` as the deadline of every call: each call's AbortSignal also fires
 * after `ms`. Applied once, when the manager is built, so that no call — a request's load and
 * commit, limit enforcement, revocation, listing, iteration — can go without it.
 */
export function withDeadline<S extends Store>(store: S, ms: number): S {
  if (ms <= 0) return store;
  const wrapped: Store = {
    capabilities: store.capabilities,
    find: (id, options) => store.find(id, withTimeout(ms, options)),
    create: (id, record, options) => store.create(id, record, withTimeout(ms, options)),
    update: (id, changes, options) => store.update(id, changes, withTimeout(ms, options)),
    delete: (id, options) => store.delete(id, withTimeout(ms, options)),
  };
  if (store.touch) {
    const touch = store.touch.bind(store);
    wrapped.touch = (id, expiresAt, lastSeenAt, options) =>
      touch(id, expiresAt, lastSeenAt, withTimeout(ms, options));
  }
  if (store.listByUser) {
    const list = store.listByUser.bind(store);
    wrapped.listByUser = (userId, options) => list(userId, withTimeout(ms, options));
  }
  if (store.deleteByUser) {
    const remove = store.deleteByUser.bind(store);
    wrapped.deleteByUser = (userId, options) => remove(userId, withTimeout(ms, options));
  }
  if (store.iterate) {
    const iterable = store as Store & { iterate: NonNullable<Store['iterate']> };
    wrapped.iterate = (options) => iterateWithDeadline(iterable, ms, options);
  }
  if (store.close) wrapped.close = store.close.bind(store);
  return wrapped as S;
}
