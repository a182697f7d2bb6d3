import { Cluster, type Redis } from 'ioredis';
import type { RedisStore } from '../../src/index.js';

/** One key of the store as it really is in Redis, read without going through the store. */
export interface RawKey {
  key: string;
  raw: string;
  /** Absolute expiry set on the key (PEXPIRETIME), or null if the key never expires. */
  expiresAt: number | null;
}

function masters(client: Redis | Cluster): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/**
 * Every key under the store's prefix, on every master, with its content and native expiry, read
 * through the test's own ioredis client (whichever client the store uses).
 */
export async function rawKeys(client: Redis | Cluster, store: RedisStore): Promise<RawKey[]> {
  const { keys } = store;
  if (client instanceof Cluster && client.nodes('master').length === 0) await client.ping();
  const found: RawKey[] = [];
  for (const node of masters(client)) {
    let cursor = '0';
    do {
      let batch: string[];
      [cursor, batch] = await node.scan(cursor, 'MATCH', keys.everythingPattern, 'COUNT', 500);
      const read = await Promise.all(batch.map((key) => rawKey(client, key)));
      for (const entry of read) if (entry) found.push(entry);
    } while (cursor !== '0');
  }
  return found;
}

async function rawKey(client: Redis | Cluster, key: string): Promise<RawKey | undefined> {
  const [type, expiry] = await Promise.all([client.type(key), client.call('PEXPIRETIME', key)]);
  let raw: string;
  if (type === 'string') raw = (await client.getBuffer(key))?.toString('latin1') ?? '';
  else if (type === 'zset') {
    raw = ((await client.call('ZRANGE', key, 0, -1, 'WITHSCORES')) as string[]).join(' ');
  } else if (type === 'none') return undefined;
  else raw = `<${type}>`;
  const at = Number(expiry);
  return { key, raw: `${key} ${raw}`, expiresAt: at >= 0 ? at : null };
}

const CORRUPTIONS = [
  (client: Redis | Cluster, key: string) =>
    client.set(key, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2]), 'PX', 60_000),
  (client: Redis | Cluster, key: string) =>
    client.set(
      key,
      Buffer.concat([Buffer.from([0x48, 0x50, 1, 0]), Buffer.alloc(20)]),
      'PX',
      60_000,
    ),
  async (client: Redis | Cluster, key: string) => {
    await client.del(key);
    await client.hset(key, 'data', 'not a string value');
    await client.pexpire(key, 60_000);
  },
] as const;
let nextCorruption = 0;

/** Overwrites a session with something the store did not write: garbage, a cut header, a hash. */
export async function corruptSession(
  client: Redis | Cluster,
  store: RedisStore,
  id: string,
): Promise<void> {
  const corrupt = CORRUPTIONS[nextCorruption++ % CORRUPTIONS.length]!;
  await corrupt(client, store.keys.session(id));
}

/** Deletes every key under `pattern` on every master (SCAN + UNLINK), for afterAll cleanup. */
export async function deleteKeys(client: Redis | Cluster, pattern: string): Promise<number> {
  if (client instanceof Cluster && client.nodes('master').length === 0) await client.ping();
  let removed = 0;
  for (const node of masters(client)) {
    let cursor = '0';
    do {
      let batch: string[];
      [cursor, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      for (const key of batch) removed += await client.unlink(key);
    } while (cursor !== '0');
  }
  return removed;
}
