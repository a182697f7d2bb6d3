import { RedisStore as ConnectRedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { type BackendDef, type BackendEnv, requireExport, type StoreClass } from './types.ts';

function url(env: BackendEnv): string {
  if (!env.redisUrl) throw new Error('no Redis server was started for this run');
  return env.redisUrl;
}

/**
 * Redis. hallpass creates its own ioredis client from the URL, with the defaults users get
 * (auto-pipelining on); connect-redis gets the node-redis client its README uses. Each cell
 * uses its own key prefix on the run's throwaway server.
 */
export const redisBackend: BackendDef = {
  name: 'redis',
  servers: ['redis'],
  contenders: [
    {
      id: 'redis/hallpass',
      backend: 'redis',
      label: 'hallpass RedisStore',
      library: 'hallpass',
      async build(env) {
        const RedisStore = await requireExport<StoreClass>('@hallpass/redis', 'RedisStore');
        const store = new RedisStore({ url: url(env), prefix: `bench_${env.namespace}` });
        return { library: 'hallpass', store, close: () => store.close() };
      },
    },
    {
      id: 'redis/connect-redis',
      backend: 'redis',
      label: 'express-session + connect-redis',
      library: 'express-session',
      async build(env) {
        const client = createClient({ url: url(env) });
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
