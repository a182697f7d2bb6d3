import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

/**
 * Defaults for the clients the store creates. A session store sits on every request's path,
 * so a Redis outage must fail requests within a bounded time instead of queueing them:
 * - maxRetriesPerRequest 1: a command waits for at most one reconnect attempt, then rejects;
 * - commandTimeout 2 s: the hard upper bound on any call, also while offline-queued;
 * - connectTimeout 2 s: a black-holed host does not hang the first request;
 * - retryStrategy capped at 1 s: the client keeps reconnecting on its own, forever, so the
 *   store works again as soon as Redis is back;
 * - enableAutoPipelining: concurrent requests share round trips (like node-redis does).
 */
export const DEFAULT_REDIS_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
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
