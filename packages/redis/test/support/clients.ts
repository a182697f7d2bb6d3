import { Cluster, type ClusterNode, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import type { OwnClient } from './conformance.js';

/**
 * node-redis settings for a session store, as the README recommends: no offline queue (a call
 * made while the connection is down fails at once instead of waiting for it), a bounded
 * connect timeout, and reconnecting forever with a capped backoff.
 */
const NODE_REDIS_SOCKET = {
  connectTimeout: 2_000,
  reconnectStrategy: (retries: number) => Math.min((retries + 1) * 100, 1_000),
};

/** A connected node-redis client; its 'error' events are expected (servers are killed). */
export async function connectNodeRedis(url: string) {
  const client = createClient({ url, disableOfflineQueue: true, socket: NODE_REDIS_SOCKET });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A connected node-redis cluster client over the given seed nodes. */
export async function connectNodeRedisCluster(
  nodes: ReadonlyArray<{ host: string; port: number }>,
) {
  const cluster = createCluster({
    rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    defaults: { disableOfflineQueue: true, socket: NODE_REDIS_SOCKET },
  });
  cluster.on('error', () => {});
  await cluster.connect();
  return cluster;
}

export async function ownIoredis(url: string): Promise<OwnClient> {
  const client = new Redis(url);
  return { client, ping: () => client.ping(), close: async () => client.disconnect() };
}

export async function ownIoredisCluster(nodes: ClusterNode[]): Promise<OwnClient> {
  const client = new Cluster(nodes);
  return { client, ping: () => client.ping(), close: async () => client.disconnect() };
}

export async function ownNodeRedis(url: string): Promise<OwnClient> {
  const client = await connectNodeRedis(url);
  return { client, ping: () => client.ping(), close: async () => client.destroy() };
}

export async function ownNodeRedisCluster(
  nodes: ReadonlyArray<{ host: string; port: number }>,
): Promise<OwnClient> {
  const client = await connectNodeRedisCluster(nodes);
  return {
    client,
    ping: () => client.sendCommand(undefined, true, ['PING']) as Promise<string>,
    close: async () => client.destroy(),
  };
}
