import { makeRecord, randomId } from '@hallpass/conformance';
import { freePort } from '@hallpass/test-support';
import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { ownIoredisCluster } from './support/clients.js';
import { sharedClusterNodes } from './support/cluster.js';
import { describeRedisStore } from './support/conformance.js';
import { uniquePrefix } from './support/prefix.js';

/**
 * The suite against the run's real 3-master Redis Cluster (support/shared-cluster.ts), with the
 * ioredis Cluster client the store creates from seed nodes: every group but the real-time one
 * (backend-expiry.test.ts).
 */
const nodes = sharedClusterNodes('redis cluster');
if (nodes) {
  const prefix = uniquePrefix('cluster');
  const nobody = await freePort();
  describeRedisStore(
    {
      name: 'cluster',
      connection: () => ({ cluster: { nodes } }),
      newClient: () => ownIoredisCluster(nodes),
      admin: new Cluster(nodes),
      unreachable: () => ({ cluster: { nodes: [{ host: '127.0.0.1', port: nobody }] } }),
    },
    prefix,
    'full',
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
}
