import { RedisStore as ConnectRedisStore } from 'connect-redis';
import { createClient, createCluster } from 'redis';
import {
  type BackendDef,
  type BackendEnv,
  type ContenderDef,
  requireExport,
  type StoreClass,
} from './types.ts';

function url(env: BackendEnv): string {
  if (!env.redisUrl) throw new Error('no Redis server was started for this run');
  return env.redisUrl;
}

function clusterNodes(env: BackendEnv): Array<{ host: string; port: number }> {
  if (!env.redisClusterNodes) throw new Error('no Redis Cluster was started for this run');
  return env.redisClusterNodes;
}

/** A connected node-redis client (standalone or cluster) as connect-redis takes it. */
type NodeRedisClient = ConstructorParameters<typeof ConnectRedisStore>[0]['client'] & {
  close(): Promise<unknown>;
};

/**
 * The three Redis contenders of one topology: hallpass with the options that make it create its
 * own ioredis client, hallpass on the node-redis client `connect` returns (the store takes
 * either), and connect-redis on that same kind of node-redis client.
 */
function redisContenders(
  backend: string,
  suffix: string,
  hallpassOptions: (env: BackendEnv) => Record<string, unknown>,
  connect: (env: BackendEnv) => Promise<NodeRedisClient>,
): ContenderDef[] {
  return [
    {
      id: `${backend}/hallpass`,
      backend,
      label: `hallpass RedisStore${suffix}`,
      library: 'hallpass',
      async build(env) {
        const RedisStore = await requireExport<StoreClass>('@hallpass/redis', 'RedisStore');
        const store = new RedisStore({ ...hallpassOptions(env), prefix: `bench_${env.namespace}` });
        return { library: 'hallpass', store, close: () => store.close() };
      },
    },
    {
      id: `${backend}/hallpass-node-redis`,
      backend,
      label: `hallpass RedisStore${suffix} on node-redis`,
      library: 'hallpass',
      async build(env) {
        const RedisStore = await requireExport<StoreClass>('@hallpass/redis', 'RedisStore');
        const client = await connect(env);
        const store = new RedisStore({ client, prefix: `bench_${env.namespace}` });
        return {
          library: 'hallpass',
          store,
          // A client passed in is the application's: the store leaves it open.
          close: async () => {
            await store.close();
            await client.close();
          },
        };
      },
    },
    {
      id: `${backend}/connect-redis`,
      backend,
      label: `express-session + connect-redis${suffix}`,
      library: 'express-session',
      async build(env) {
        const client = await connect(env);
        const store = new ConnectRedisStore({ client, prefix: `bench_${env.namespace}:` });
        return {
          library: 'express-session',
          store,
          close: async () => void (await client.close()),
        };
      },
    },
  ];
}

/**
 * Redis. hallpass creates its own ioredis client from the URL, with the defaults users get
 * (auto-pipelining on), and runs a second time on the node-redis client connect-redis's README
 * uses, which connect-redis gets too. Each cell uses its own key prefix on the run's throwaway
 * server.
 */
export const redisBackend: BackendDef = {
  name: 'redis',
  servers: ['redis'],
  contenders: redisContenders(
    'redis',
    '',
    (env) => ({ url: url(env) }),
    async (env) => {
      const client = createClient({ url: url(env) });
      await client.connect();
      return client as unknown as NodeRedisClient;
    },
  ),
};

/**
 * Redis Cluster (3 masters, no replicas), started for the run. hallpass creates its own
 * ioredis `Cluster` from the seed nodes, and runs a second time on a node-redis
 * `createCluster()` client, which connect-redis gets too (connect-redis supports node-redis
 * clusters, not ioredis ones).
 */
export const redisClusterBackend: BackendDef = {
  name: 'redis-cluster',
  servers: ['redis-cluster'],
  contenders: redisContenders(
    'redis-cluster',
    ' (Cluster)',
    (env) => ({ cluster: { nodes: clusterNodes(env) } }),
    async (env) => {
      const client = createCluster({
        rootNodes: clusterNodes(env).map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
      });
      await client.connect();
      return client as unknown as NodeRedisClient;
    },
  ),
};
