// The Redis side of running documented examples: a key prefix of this run for the examples'
// stores (applied by redis-prefix-hook.mjs), and the deletion of its keys afterwards.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** A prefix no other run uses, for HALLPASS_EXAMPLE_REDIS_PREFIX. */
export function exampleRedisPrefix() {
  return `hallpass-docs-${randomBytes(6).toString('hex')}`;
}

/**
 * Deletes every `<prefix>:*` key (SCAN + UNLINK) on the examples' Redis servers: REDIS_URL, as
 * the checks give it, and 127.0.0.1:6379, where `new Redis()` without arguments connects. Uses
 * the ioredis installed in the examples' project. Returns how many keys it deleted.
 */
export async function deleteExampleKeys(project, prefix) {
  const { Redis } = createRequire(join(project, 'package.json'))('ioredis');
  const urls = new Set([
    process.env.HALLPASS_REDIS_URL ?? 'redis://127.0.0.1:6379',
    'redis://127.0.0.1:6379',
  ]);
  let deleted = 0;
  for (const url of urls) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    try {
      await client.connect();
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) deleted += await client.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      client.disconnect();
    }
  }
  return deleted;
}
