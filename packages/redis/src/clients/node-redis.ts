import type { ClientAdapter, ScanNode } from './adapter.js';

type Argument = string | Buffer;

/**
 * The part of a node-redis (the `redis` package, v5+) client the store uses, typed here so the
 * package needs neither `redis` installed nor its types: only raw commands through
 * `sendCommand`, whose replies are shaped by the per-call `typeMapping` option.
 */
export interface NodeRedisClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  sendCommand(args: ReadonlyArray<Argument>, options?: object): Promise<unknown>;
  withTypeMapping(mapping: object): unknown;
}

/** A node-redis cluster from `createCluster()`: commands are routed by their first key. */
export interface NodeRedisCluster {
  readonly isOpen: boolean;
  readonly masters: readonly unknown[];
  nodeClient(node: never): Promise<NodeRedisClient> | NodeRedisClient;
  sendCommand(
    firstKey: Argument | undefined,
    isReadonly: boolean | undefined,
    args: ReadonlyArray<Argument>,
    options?: object,
  ): Promise<unknown>;
  withTypeMapping(mapping: object): unknown;
}

export type NodeRedis = NodeRedisClient | NodeRedisCluster;

/**
 * RESP_TYPES.BLOB_STRING is the RESP type byte '$' (36). Mapping it to Buffer keeps bulk
 * replies binary, as session values need; the number avoids a runtime import of `redis`.
 */
const BUFFER_REPLIES = { typeMapping: { 36: Buffer } } as const;
const TEXT_REPLIES = { typeMapping: {} } as const;

export function isNodeRedis(client: unknown): client is NodeRedis {
  const candidate = client as Partial<Record<string, unknown>> | null;
  return (
    typeof candidate?.sendCommand === 'function' &&
    typeof candidate.withTypeMapping === 'function' &&
    typeof candidate.isOpen === 'boolean'
  );
}

function isCluster(client: NodeRedis): client is NodeRedisCluster {
  return typeof (client as NodeRedisCluster).nodeClient === 'function';
}

/**
 * A node-redis client or cluster. It must be connected by the application (`await
 * client.connect()`), which also owns it: the store never closes it.
 */
export function nodeRedisAdapter(client: NodeRedis): ClientAdapter {
  const send = (
    key: string,
    readonly: boolean,
    args: ReadonlyArray<Argument>,
    options: object = BUFFER_REPLIES,
  ) =>
    isCluster(client)
      ? client.sendCommand(key, readonly, args, options)
      : client.sendCommand(args, options);
  return {
    kind: 'node-redis',
    get: (key) => send(key, true, ['GET', key]) as Promise<Buffer | null>,
    setNx: async (key, value, pxat) =>
      (await send(key, false, ['SET', key, value, 'PXAT', String(pxat), 'NX'])) !== null,
    evalsha: (sha, key, args) => send(key, false, ['EVALSHA', sha, '1', key, ...args]),
    eval: (lua, key, args) => send(key, false, ['EVAL', lua, '1', key, ...args]),
    zrem: async (key, members) => {
      await send(key, false, ['ZREM', key, ...members]);
    },
    zscore: async (key, member) => {
      const score = await send(key, true, ['ZSCORE', key, member], TEXT_REPLIES);
      return score === null || score === undefined ? null : String(score);
    },
    async masters() {
      if (!isCluster(client)) return [scanNode(client)];
      return Promise.all(
        client.masters.map(async (master) => scanNode(await client.nodeClient(master as never))),
      );
    },
    unavailable() {
      if (!client.isOpen) return 'the node-redis client is closed (call connect() first)';
      // Open but not ready: connecting or between reconnect attempts. Calls would only wait
      // in its offline queue for the next attempt, so the store fails them at once instead.
      // (A cluster routes each command to a node client of its own, which does the same
      // when created with disableOfflineQueue, as the README recommends.)
      if (!isCluster(client) && !client.isReady)
        return 'not connected (node-redis is reconnecting)';
      return undefined;
    },
    async close() {
      // The store never creates a node-redis client, so it never closes one.
    },
  };
}

function scanNode(node: NodeRedisClient): ScanNode {
  return {
    async scan(cursor, pattern, count) {
      const reply = (await node.sendCommand(
        ['SCAN', cursor, 'MATCH', pattern, 'COUNT', String(count)],
        TEXT_REPLIES,
      )) as [Argument, Argument[]];
      return [String(reply[0]), reply[1].map(String)];
    },
  };
}
