import { makeRecord, makeUpdate, randomId, sleep } from '@hallpass/conformance';
import { StoreUnavailableError } from '@hallpass/core';
import { startRedisCluster, type ThrowawayRedisCluster } from '@hallpass/test-support';
import { Cluster } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { connectNodeRedisCluster } from './support/clients.js';
import { START_CLUSTER_HINT } from './support/cluster.js';
import { reportMissingServer } from './support/missing-server.js';

// A cluster of its own, not the run's shared one: this file kills one of its masters.
let cluster: ThrowawayRedisCluster | undefined;
let startError: unknown;
try {
  cluster = await startRedisCluster(3);
} catch (error) {
  startError = error;
}
afterAll(() => cluster?.stop());

/**
 * One master of a 3-master cluster is SIGKILLed under a live store: find, update, touch and
 * delete of a session on its slots reject with StoreUnavailableError, without hanging or
 * crashing (calls on the other masters' slots are not checked here); when the node comes back
 * with its slots, the same store works.
 */
if (cluster) {
  describe('redis cluster fault: a master killed and restarted', () => {
    const clients = {
      ioredis: async (nodes: ThrowawayRedisCluster['nodes']) => ({
        store: new RedisStore({ cluster: { nodes }, prefix: 'cluster-fault' }),
        release: async () => {},
      }),
      'node-redis': async (nodes: ThrowawayRedisCluster['nodes']) => {
        const client = await connectNodeRedisCluster(nodes);
        const store = new RedisStore({ client, prefix: 'cluster-fault-node-redis' });
        return { store, release: async () => client.destroy() };
      },
    };

    it.each(Object.keys(clients) as Array<keyof typeof clients>)(
      '%s: rejects with StoreUnavailableError while a master is down and recovers by itself',
      async (flavour) => {
        const { nodes } = cluster!;
        const { store, release } = await clients[flavour](nodes);
        // Slot lookups through a client of the test's own, whichever client the store uses.
        const client = new Cluster(nodes);
        try {
          const ids = Array.from({ length: 40 }, () => randomId());
          for (const id of ids) expect((await store.create(id, makeRecord())).ok).toBe(true);
          // The slot ranges of the master to kill, from CLUSTER SLOTS.
          const slots = await client.cluster('SLOTS');
          const ranges = slots.filter(([, , master]) => master?.[1] === nodes[0]!.port);
          const onVictim: string[] = [];
          for (const id of ids) {
            const slot = Number(await client.cluster('KEYSLOT', store.keys.session(id)));
            if (ranges.some(([start, end]) => slot >= start && slot <= end)) onVictim.push(id);
          }
          expect(onVictim.length, 'sessions on the master to kill').toBeGreaterThan(0);

          await cluster!.kill(0);
          const id = onVictim[0]!;
          for (const [name, call] of [
            ['find', () => store.find(id)],
            ['update', () => store.update(id, makeUpdate())],
            ['touch', () => store.touch(id, Date.now() + 60_000, Date.now())],
            ['delete', () => store.delete(id)],
          ] as const) {
            await expect(call(), `${name} on the dead master`).rejects.toBeInstanceOf(
              StoreUnavailableError,
            );
          }

          await cluster!.restart(0);
          let recovered = false;
          for (let attempt = 0; attempt < 200 && !recovered; attempt++) {
            try {
              await store.find(id);
              recovered = true;
            } catch (error) {
              expect(error).toBeInstanceOf(StoreUnavailableError);
              await sleep(100);
            }
          }
          expect(recovered, 'the store answers again once the master is back').toBe(true);
          const fresh = randomId();
          expect((await store.create(fresh, makeRecord())).ok).toBe(true);
          expect(await store.find(fresh)).not.toBeNull();
        } finally {
          client.disconnect();
          await store.close();
          await release();
        }
      },
      90_000,
    );
  });
} else {
  reportMissingServer('redis cluster fault', {
    needs: 'the harness starts a 3-master cluster',
    reason: `could not start a Redis Cluster from the installed redis-server: ${String(startError)}`,
    hint: START_CLUSTER_HINT,
  });
}
