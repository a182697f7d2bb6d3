import {
  type IterableStore,
  type StoredSession,
  StoreUnavailableError,
  type TouchableStore,
  type UserIndexStore,
} from '@hallpass/core';
import { expect } from 'vitest';
import { makeRecord, makeUpdate, randomId } from '../fixtures.js';

/** A store with every capability and a cron-style cleanup, as the SQL stores have. */
export type OutageStore = IterableStore &
  UserIndexStore &
  TouchableStore & { deleteExpired(): Promise<number> };

/** A database server the test owns and may crash. */
export interface CrashableServer {
  /** Kills the server the way a crash does (what it committed is on disk). */
  crash(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
}

export interface ServerOutageOptions {
  store: OutageStore;
  server: CrashableServer;
  /**
   * Errors reported by the `onCleanupError` of a second store whose background cleanup keeps
   * running through the outage: each must be StoreUnavailableError, and there must be some.
   */
  cleanupErrors: unknown[];
}

/**
 * The server goes away in the middle of use and comes back: calls in flight either complete or
 * fail with StoreUnavailableError, every call in between fails with it (no hang, no crash, no
 * unhandled rejection), background cleanup reports the outage instead of throwing, and the same
 * store object works again afterwards with every committed session intact. For stores on a
 * server that persists what it committed (SQL databases); run it inside a vitest test.
 */
export async function expectServerOutageRecovery({
  store,
  server,
  cleanupErrors,
}: ServerOutageOptions): Promise<void> {
  const committed = new Map<string, Uint8Array>();
  for (let i = 0; i < 20; i++) {
    const id = randomId();
    const record = makeRecord({ userId: i % 2 ? 'alice' : null });
    expect((await store.create(id, record)).ok).toBe(true);
    committed.set(id, record.data);
  }
  const ids = [...committed.keys()];

  // Calls in flight while the server dies: each one either completed or is "unavailable".
  const inFlight = Array.from({ length: 40 }, (_, i) => {
    const id = ids[i % ids.length] as string;
    return i % 2 ? store.find(id) : store.update(id, makeUpdate({ data: committed.get(id) }));
  });
  const settled = Promise.allSettled(inFlight);
  cleanupErrors.length = 0;
  await server.crash();
  for (const outcome of await settled) {
    if (outcome.status === 'rejected') {
      expect(outcome.reason).toBeInstanceOf(StoreUnavailableError);
    }
  }

  // Every kind of call while it is down.
  const id = ids[0] as string;
  const down: Array<[string, () => Promise<unknown>]> = [
    ['find', () => store.find(id)],
    ['create', () => store.create(randomId(), makeRecord())],
    ['update', () => store.update(id, makeUpdate())],
    ['touch', () => store.touch(id, Date.now() + 60_000, Date.now())],
    ['delete', () => store.delete(randomId())],
    ['listByUser', () => store.listByUser('alice')],
    ['deleteByUser', () => store.deleteByUser('nobody')],
    ['deleteExpired', () => store.deleteExpired()],
    [
      'iterate',
      async () => {
        for await (const _ of store.iterate()) {
          // draining
        }
      },
    ],
  ];
  for (const [name, call] of down) {
    await expect(call(), name).rejects.toBeInstanceOf(StoreUnavailableError);
  }

  // The background cleanup failed while the server was down: reported, never thrown.
  await expect.poll(() => cleanupErrors.length, { timeout: 10_000 }).toBeGreaterThan(0);
  for (const error of cleanupErrors) expect(error).toBeInstanceOf(StoreUnavailableError);

  await server.start();
  // The pool reconnects on demand: the same store object serves again.
  await expect
    .poll(
      () =>
        store.find(id).then(
          (session) => session !== null,
          () => false,
        ),
      { timeout: 15_000, interval: 200 },
    )
    .toBe(true);
  const found: StoredSession[] = [];
  for (const committedId of ids) {
    const session = await store.find(committedId);
    expect(session, `session ${committedId} after the restart`).not.toBeNull();
    found.push(session as StoredSession);
  }
  expect(found.map((session) => session.id)).toEqual(ids);
  for (const session of found) expect(session.data).toEqual(committed.get(session.id));
  expect((await store.listByUser('alice')).length).toBe(10);
}
