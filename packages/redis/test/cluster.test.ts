import { makeRecord, randomId } from '@hallpass/conformance';
import { startRedisCluster, type ThrowawayRedisCluster } from '@hallpass/test-support';
import { Cluster } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import {
  connectNodeRedisCluster,
  ownIoredisCluster,
  ownNodeRedisCluster,
} from './support/clients.js';
import { describeRedisStore } from './support/conformance.js';
import { missingServerMode, uniquePrefix } from './support/env.js';

/**
 * The full suite against a real 3-master Redis Cluster this file starts from the installed
 * redis-server on free ports, and stops (servers killed, directory removed) in afterAll.
 */
let cluster: ThrowawayRedisCluster | undefined;
let startError: unknown;
try {
  cluster = await startRedisCluster(3);
} catch (error) {
  startError = error;
}

if (cluster) {
  const { nodes } = cluster;
  // File level: runs after every describe here, including the suite's own key cleanup.
  afterAll(() => cluster?.stop());
  const prefix = uniquePrefix('cluster');
  describeRedisStore(
    {
      name: 'cluster',
      backendExpiry: true,
      connection: () => ({ cluster: { nodes } }),
      newClient: () => ownIoredisCluster(nodes),
      admin: new Cluster(nodes),
    },
    prefix,
  );
  const nodeRedis = await connectNodeRedisCluster(nodes);
  describeRedisStore(
    {
      name: 'cluster node-redis',
      connection: () => ({ client: nodeRedis }),
      newClient: () => ownNodeRedisCluster(nodes),
      admin: new Cluster(nodes),
      close: async () => nodeRedis.destroy(),
    },
    uniquePrefix('cluster-node-redis'),
  );

  describe('redis cluster: keys spread over every master', () => {
    it('sessions land on all three masters and iterate() reaches each of them', async () => {
      const store = new RedisStore({ cluster: { nodes }, prefix: `${prefix}:spread` });
      try {
        const ids = Array.from({ length: 300 }, () => randomId());
        await Promise.all(ids.map((id) => store.create(id, makeRecord())));
        const client = store.client as Cluster;
        const perMaster = await Promise.all(
          client.nodes('master').map(async (node) => {
            const [, keys] = await node.scan(
              '0',
              'MATCH',
              `${prefix}:spread:session:*`,
              'COUNT',
              1000,
            );
            return keys.length;
          }),
        );
        expect(perMaster).toHaveLength(3);
        for (const count of perMaster) expect(count).toBeGreaterThan(0);
        const yielded: string[] = [];
        for await (const session of store.iterate({ pageSize: 7 })) yielded.push(session.id);
        expect(yielded.sort()).toEqual([...ids].sort());
      } finally {
        await store.close();
      }
    });
  });
} else if (missingServerMode() === 'fail') {
  it('redis cluster: the harness starts a 3-master cluster', () => {
    throw new Error(
      `could not start a Redis Cluster from the installed redis-server (CI=true): ${String(startError)}. ` +
        'Install redis-server and redis-cli 7 (apt-get install redis-server redis-tools).',
    );
  });
} else {
  describe.skip(`redis cluster [skipped: could not start a cluster: ${String(startError)}]`, () => {
    it('conformance suite', () => {});
  });
}
