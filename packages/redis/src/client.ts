import { createRequire } from 'node:module';
import { ConfigurationError } from '@hallpass/core';
import type { Cluster, ClusterNode, ClusterOptions, Redis, RedisOptions } from 'ioredis';

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

/**
 * ioredis, loaded only when the store creates a client: it is an optional peer, and an
 * application that passes a node-redis client need not install it.
 */
function loadIoredis(): typeof import('ioredis') {
  try {
    return createRequire(import.meta.url)('ioredis');
  } catch (error) {
    throw new ConfigurationError(
      `\`url\`, \`redis\` and \`cluster\` make the store create an ioredis client: install ioredis, or pass a connected node-redis client as \`client\` (${String(error)})`,
    );
  }
}

export function createRedis(url: string | undefined, options: RedisOptions = {}): Redis {
  const { Redis } = loadIoredis();
  const merged = { ...DEFAULT_REDIS_OPTIONS, ...options };
  return url === undefined ? new Redis(merged) : new Redis(url, merged);
}

export function createCluster(nodes: ClusterNode[], options: ClusterOptions = {}): Cluster {
  const { Cluster } = loadIoredis();
  const { redisOptions, ...rest } = options;
  const { retryStrategy: _perNodeRetry, ...nodeDefaults } = DEFAULT_REDIS_OPTIONS;
  return new Cluster(nodes, {
    enableAutoPipelining: true,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    ...rest,
    redisOptions: { ...nodeDefaults, ...redisOptions },
  });
}
