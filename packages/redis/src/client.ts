import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

/**
 * Defaults for the clients the store creates. A session store sits on every request's path,
 * so a Redis outage must fail requests within a bounded time instead of queueing them:
 * - while the client is between reconnect attempts the store rejects at once (see
 *   RedisStore#assertConnected); the settings below bound the other cases;
 * - maxRetriesPerRequest 1: a call queued while a connection is being set up waits for at
 *   most one more reconnect attempt, then rejects;
 * - autoResendUnfulfilledCommands off: a write whose reply was lost with the connection is
 *   reported as failed and never replayed behind the caller's back after reconnecting;
 * - commandTimeout 2 s: the hard upper bound on any call, also while queued;
 * - connectTimeout 2 s: a black-holed host does not hang the first request;
 * - retryStrategy 100 ms, 200 ms, ... capped at 1 s, forever: the client reconnects on its
 *   own, so the store works again as soon as Redis is back;
 * - enableAutoPipelining: concurrent requests share round trips (as node-redis does).
 */
export const DEFAULT_REDIS_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  commandTimeout: 2_000,
  connectTimeout: 2_000,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  enableAutoPipelining: true,
};

export function createRedis(url: string | undefined, options: RedisOptions = {}): Redis {
  const merged = { ...DEFAULT_REDIS_OPTIONS, ...options };
  return url === undefined ? new Redis(merged) : new Redis(url, merged);
}

export function createCluster(nodes: ClusterNode[], options: ClusterOptions = {}): Cluster {
  const { redisOptions, ...rest } = options;
  const { retryStrategy: _perNodeRetry, ...nodeDefaults } = DEFAULT_REDIS_OPTIONS;
  return new Cluster(nodes, {
    enableAutoPipelining: true,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    ...rest,
    redisOptions: { ...nodeDefaults, ...redisOptions },
  });
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster || (client as { isCluster?: boolean }).isCluster === true;
}
