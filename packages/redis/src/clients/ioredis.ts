import type { Cluster, Redis } from 'ioredis';
import type { ClientAdapter, ScanNode } from './adapter.js';

export type IoredisClient = Redis | Cluster;

/** The Buffer variants ioredis generates for every command, not all of which are typed. */
interface BufferCommands {
  evalshaBuffer(
    sha: string,
    keys: 1,
    key: string,
    ...args: Array<string | Buffer>
  ): Promise<unknown>;
  evalBuffer(lua: string, keys: 1, key: string, ...args: Array<string | Buffer>): Promise<unknown>;
}

/** An ioredis client, told apart without importing ioredis (an optional peer). */
export function isIoredis(client: unknown): client is IoredisClient {
  const candidate = client as Partial<Record<string, unknown>> | null;
  return (
    typeof candidate?.getBuffer === 'function' &&
    typeof candidate.evalshaBuffer === 'function' &&
    typeof candidate.options === 'object'
  );
}

export function isIoredisCluster(client: IoredisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/**
 * ioredis `Redis` or `Cluster`. Replies keep bulk strings as Buffers through the *Buffer
 * command variants; callBuffer is not used: ioredis 6 breaks it under enableAutoPipelining.
 */
export function ioredisAdapter(client: IoredisClient): ClientAdapter {
  const buffers = client as unknown as BufferCommands;
  return {
    kind: 'ioredis',
    get: (key) => client.getBuffer(key),
    setNx: async (key, value, pxat) => (await client.set(key, value, 'PXAT', pxat, 'NX')) === 'OK',
    evalsha: (sha, key, args) => buffers.evalshaBuffer(sha, 1, key, ...args),
    eval: (lua, key, args) => buffers.evalBuffer(lua, 1, key, ...args),
    zrem: async (key, members) => {
      await client.zrem(key, ...members);
    },
    zscore: (key, member) => client.zscore(key, member),
    async masters() {
      if (!isIoredisCluster(client)) return [scanNode(client)];
      // Before the first command a Cluster client has not loaded its slot map yet.
      if (client.nodes('master').length === 0) await client.ping();
      return client.nodes('master').map(scanNode);
    },
    unavailable() {
      const { status } = client;
      return status === 'reconnecting' || status === 'close' || status === 'end'
        ? `not connected (client status ${status})`
        : undefined;
    },
    async close() {
      if (client.status !== 'ready') {
        // QUIT would only wait for a connection that is not there.
        client.disconnect();
        return;
      }
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}

function scanNode(node: Redis): ScanNode {
  return {
    scan: (cursor, pattern, count) => node.scan(cursor, 'MATCH', pattern, 'COUNT', count),
  };
}
