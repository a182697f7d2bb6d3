import { ConfigurationError } from '@hallpass/core';
import type { ClientAdapter } from './adapter.js';
import { type IoredisClient, ioredisAdapter, isIoredis } from './ioredis.js';
import { isNodeRedis, type NodeRedis, nodeRedisAdapter } from './node-redis.js';

export type { ClientAdapter, ScanNode } from './adapter.js';
export type { IoredisClient } from './ioredis.js';
export type { NodeRedis, NodeRedisClient, NodeRedisCluster } from './node-redis.js';

/** A client the store accepts: ioredis `Redis`/`Cluster`, or node-redis `createClient()`/`createCluster()`. */
export type RedisClient = IoredisClient | NodeRedis;

/** Picks the adapter for a client given by the application, told apart by its shape. */
export function adaptClient(client: unknown): ClientAdapter {
  if (isIoredis(client)) {
    if (client.options.keyPrefix) {
      throw new ConfigurationError(
        'the client has an ioredis keyPrefix: remove it and pass `prefix` to RedisStore instead',
      );
    }
    return ioredisAdapter(client);
  }
  if (isNodeRedis(client)) return nodeRedisAdapter(client);
  throw new ConfigurationError(
    '`client` must be an ioredis Redis or Cluster, or a node-redis (redis v5+) client from createClient() or createCluster()',
  );
}
