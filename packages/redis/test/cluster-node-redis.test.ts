import { Cluster } from 'ioredis';
import { connectNodeRedisCluster, ownNodeRedisCluster } from './support/clients.js';
import { sharedClusterNodes } from './support/cluster.js';
import { describeRedisStore } from './support/conformance.js';
import { uniquePrefix } from './support/prefix.js';

/**
 * The suite against the run's 3-master cluster with a node-redis cluster client the application
 * connected and passed in: the groups the client adapter can break (CLIENT_GROUPS in
 * support/conformance.ts); cluster.test.ts runs every group with ioredis.
 */
const nodes = sharedClusterNodes('redis cluster node-redis');
if (nodes) {
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
    'client',
  );
}
