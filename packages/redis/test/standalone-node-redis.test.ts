import { REDIS_URL } from '@hallpass/test-support';
import { Redis } from 'ioredis';
import { connectNodeRedis, ownNodeRedis } from './support/clients.js';
import { describeRedisStore } from './support/conformance.js';
import { standaloneReachable } from './support/missing-server.js';
import { uniquePrefix } from './support/prefix.js';

/**
 * The suite against the standalone server at HALLPASS_REDIS_URL with a node-redis client the
 * application connected and passed in: the groups the client adapter can break (see
 * CLIENT_GROUPS in support/conformance.ts); standalone.test.ts runs every group with ioredis.
 */
if (await standaloneReachable('redis standalone node-redis')) {
  const nodeRedis = await connectNodeRedis(REDIS_URL);
  describeRedisStore(
    {
      name: 'standalone node-redis',
      connection: () => ({ client: nodeRedis }),
      newClient: () => ownNodeRedis(REDIS_URL),
      admin: new Redis(REDIS_URL),
      close: async () => nodeRedis.destroy(),
    },
    uniquePrefix('node-redis'),
    'client',
  );
}
