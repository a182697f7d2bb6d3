import { RedisStore as ConnectRedisStore } from 'connect-redis';
import { createCluster } from 'redis';
import { type BackendDef, type BackendEnv, requireExport, type StoreClass } from './types.ts';

function nodes(env: BackendEnv): Array<{ host: string; port: number }> {
  if (!env.redisClusterNodes) throw new Error('no Redis Cluster was started for this run');
  return env.redisClusterNodes;
}

/**
 * Redis Cluster (3 masters, no replicas), started for the run. hallpass creates its own
 * ioredis `Cluster` from the seed nodes, with the defaults users get; connect-redis gets a
 * node-redis `createCluster()` client (connect-redis supports node-redis clusters, not
 * ioredis). Each cell uses its own key prefix.
 */
export const redisClusterBackend: BackendDef = {
  name: 'redis-cluster',
  servers: ['redis-cluster'],
  contenders: [
    {
      id: 'redis-cluster/hallpass',
      backend: 'redis-cluster',
      label: 'hallpass RedisStore (Cluster)',
      library: 'hallpass',
      async build(env) {
        const RedisStore = await requireExport<StoreClass>('@hallpass/redis', 'RedisStore');
        const store = new RedisStore({
          cluster: { nodes: nodes(env) },
          prefix: `bench_${env.namespace}`,
        });
        return { library: 'hallpass', store, close: () => store.close() };
      },
    },
    {
      id: 'redis-cluster/connect-redis',
      backend: 'redis-cluster',
      label: 'express-session + connect-redis (Cluster)',
      library: 'express-session',
      async build(env) {
        const client = createCluster({
          rootNodes: nodes(env).map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
        });
        await client.connect();
        const store = new ConnectRedisStore({ client, prefix: `bench_${env.namespace}:` });
        return {
          library: 'express-session',
          store,
          close: async () => void (await client.close()),
        };
      },
    },
  ],
};
