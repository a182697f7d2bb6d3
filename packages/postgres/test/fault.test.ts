import { makeRecord, makeUpdate, randomId } from '@hallpass/conformance';
import { type StoredSession, StoreUnavailableError } from '@hallpass/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index.js';
import {
  createThrowawayPostgres,
  type ThrowawayPostgres,
  throwawayUnsupported,
} from './support/throwaway-postgres.js';

const unsupported = throwawayUnsupported();
if (unsupported && process.env.CI === 'true') {
  throw new Error(`the PostgreSQL fault test cannot run: ${unsupported}`);
}

/**
 * The server goes away in the middle of use and comes back: every call in between fails with
 * StoreUnavailableError (no hang, no crash, no unhandled rejection), and the same store object
 * works again afterwards with every committed session intact.
 */
describe.skipIf(unsupported !== undefined)('postgres server stopped and restarted mid-use', () => {
  let server: ThrowawayPostgres;
  let store: PostgresStore;
  /** A second store whose background cleanup keeps running through the outage. */
  let sweeping: PostgresStore;
  const cleanupErrors: unknown[] = [];

  beforeAll(async () => {
    server = await createThrowawayPostgres();
    await server.start();
    store = new PostgresStore({
      connectionString: server.url,
      ensureSchema: true,
      poolConfig: { connectionTimeoutMillis: 2_000 },
    });
    await store.ensureSchema();
    sweeping = new PostgresStore({
      connectionString: server.url,
      cleanupIntervalMs: 100,
      onCleanupError: (error) => cleanupErrors.push(error),
      poolConfig: { connectionTimeoutMillis: 2_000 },
    });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await sweeping?.close();
    await server?.destroy();
  });

  it('fails with StoreUnavailableError while down and recovers by itself', {
    timeout: 30_000,
  }, async () => {
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
    const outcomes = await settled;
    for (const outcome of outcomes) {
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
        { timeout: 15_000, interval: 100 },
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
  });
});
