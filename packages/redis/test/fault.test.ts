import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRecord, makeUpdate, randomId, randomUserId, sleep } from '@hallpass/conformance';
import { StoreUnavailableError } from '@hallpass/core';
import { freePort, type RedisProcess, startRedisServer } from '@hallpass/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { connectNodeRedis } from './support/clients.js';

/**
 * Redis going away under a live store: a throwaway redis-server this file owns is SIGKILLed
 * mid-use, every store method must reject with StoreUnavailableError (no hang, no crash, no
 * unhandled rejection: vitest fails the run on those), and the same store must work again
 * once a server is back on the same port.
 */
describe('redis fault: server killed and restarted', () => {
  let dir: string;
  let port: number;
  let server: RedisProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hallpass-redis-fault-'));
    port = await freePort();
    server = await startRedisServer(port, dir);
  });

  afterAll(async () => {
    await server?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  /** The store under test and how to release what the test created for it. */
  const clients = {
    ioredis: async () => {
      const store = new RedisStore({ url: `redis://127.0.0.1:${port}`, prefix: 'fault' });
      return { store, release: async () => {} };
    },
    'node-redis': async () => {
      const client = await connectNodeRedis(`redis://127.0.0.1:${port}`);
      const store = new RedisStore({ client, prefix: 'fault-node-redis' });
      return { store, release: async () => client.destroy() };
    },
  };

  it.each(Object.keys(clients) as Array<keyof typeof clients>)(
    '%s: rejects every call with StoreUnavailableError while down and recovers by itself',
    async (flavour) => {
      const { store, release } = await clients[flavour]();
      try {
        const userId = randomUserId();
        const id = randomId();
        expect((await store.create(id, makeRecord({ userId }))).ok).toBe(true);
        expect(await store.find(id)).not.toBeNull();

        await server!.kill();
        const calls: Array<[string, () => Promise<unknown>]> = [
          ['find', () => store.find(id)],
          ['create', () => store.create(randomId(), makeRecord({ userId }))],
          ['update', () => store.update(id, makeUpdate({ userId }))],
          ['touch', () => store.touch(id, Date.now() + 60_000, Date.now())],
          ['delete', () => store.delete(id)],
          ['listByUser', () => store.listByUser(userId)],
          ['deleteByUser', () => store.deleteByUser(userId)],
          [
            'iterate',
            async () => {
              for await (const _ of store.iterate()) {
                // draining
              }
            },
          ],
        ];
        // All at once, as concurrent requests would hit it, and then once more one by one
        // (the client is then in its reconnect loop rather than just disconnected).
        const concurrent = await Promise.allSettled(calls.map(([, call]) => call()));
        for (const [i, outcome] of concurrent.entries()) {
          expect(outcome.status, `${calls[i]![0]} while down`).toBe('rejected');
          const reason = (outcome as PromiseRejectedResult).reason;
          expect(reason, `${calls[i]![0]} error class`).toBeInstanceOf(StoreUnavailableError);
        }
        for (const [name, call] of calls) {
          await expect(call(), `${name} while still down`).rejects.toBeInstanceOf(
            StoreUnavailableError,
          );
        }

        server = await startRedisServer(port, dir);
        // The store's client reconnects on its own (capped backoff): wait for it, bounded.
        let recovered = false;
        for (let attempt = 0; attempt < 100 && !recovered; attempt++) {
          try {
            await store.find(id);
            recovered = true;
          } catch (error) {
            expect(error).toBeInstanceOf(StoreUnavailableError);
            await sleep(100);
          }
        }
        expect(recovered, 'the store answers again after the restart').toBe(true);
        // The killed server had no persistence: the old session is gone, new ones work.
        expect(await store.find(id)).toBeNull();
        const fresh = randomId();
        expect((await store.create(fresh, makeRecord({ userId }))).ok).toBe(true);
        expect((await store.listByUser(userId)).map((s) => s.id)).toEqual([fresh]);
        expect(await store.deleteByUser(userId)).toBe(1);
      } finally {
        await store.close();
        await release();
      }
    },
  );

  it('a store whose server is unreachable from the start rejects instead of hanging', async () => {
    const nobody = await freePort();
    const store = new RedisStore({ url: `redis://127.0.0.1:${nobody}`, prefix: 'fault' });
    try {
      await expect(store.find(randomId())).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.create(randomId(), makeRecord())).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
    } finally {
      await store.close();
    }
  });
});
