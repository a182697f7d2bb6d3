import { RedisStore as ConnectRedisStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedisReader } from '../src/index.js';
import { deleteKeys } from './support/hallpass-stores.js';
import { describeLegacyImport } from './support/legacy-scenario.js';
import { REDIS_URL, serverAvailable, uniqueName } from './support/servers.js';

const available = await serverAvailable('redis');

describeLegacyImport('connect-redis (node-redis client)', available, async () => {
  const prefix = `${uniqueName('sess')}:`;
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  return {
    store: new ConnectRedisStore({ client, prefix }),
    reader: connectRedisReader({ client, prefix }),
    holds: async (sid) => (await client.exists(prefix + sid)) === 1,
    async cleanup() {
      await deleteKeys(`${prefix}*`);
      client.destroy();
    },
  };
});

describe.skipIf(!available)('connectRedisReader over an ioredis client', () => {
  const prefix = `${uniqueName('sess')}:`;
  const client = new Redis(REDIS_URL);
  afterAll(async () => {
    await deleteKeys(`${prefix}*`);
    client.disconnect();
  });

  it('takes a connect-redis entry with GETDEL, once', async () => {
    await client.set(`${prefix}abc`, JSON.stringify({ cookie: {}, passport: { user: 'u1' } }));
    const reader = connectRedisReader({ client, prefix });
    expect(await reader.read('abc')).toEqual({
      session: { cookie: {}, passport: { user: 'u1' } },
      expired: false,
    });
    expect((await reader.take('abc'))?.session.passport).toEqual({ user: 'u1' });
    expect(await reader.take('abc')).toBeNull();
  });

  it('reads an entry that is not a JSON object as no session', async () => {
    await client.set(`${prefix}bad`, '[1,2');
    expect(await connectRedisReader({ client, prefix }).take('bad')).toBeNull();
  });
});
