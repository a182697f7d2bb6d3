import { Redis } from 'ioredis';
import { describe, it } from 'vitest';
import { connectNodeRedis, ownIoredis, ownNodeRedis } from './support/clients.js';
import { describeRedisStore } from './support/conformance.js';
import {
  isReachable,
  missingServerMode,
  REDIS_URL,
  START_REDIS_HINT,
  uniquePrefix,
} from './support/env.js';

/**
 * The full suite against the standalone server at HALLPASS_REDIS_URL (default localhost:6379),
 * once with the ioredis client the store creates from a URL and once with a node-redis client
 * the application connected and passed in.
 */
if (await isReachable(REDIS_URL)) {
  describeRedisStore(
    {
      name: 'standalone',
      connection: () => ({ url: REDIS_URL }),
      newClient: () => ownIoredis(REDIS_URL),
      admin: new Redis(REDIS_URL),
    },
    uniquePrefix('standalone'),
  );
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
  );
} else if (missingServerMode() === 'fail') {
  it(`redis standalone: a server is reachable at ${REDIS_URL}`, () => {
    throw new Error(`no Redis server answers at ${REDIS_URL} (CI=true): ${START_REDIS_HINT}`);
  });
} else {
  describe.skip(`redis standalone [skipped: no Redis at ${REDIS_URL}; ${START_REDIS_HINT}]`, () => {
    it('conformance suite', () => {});
  });
}
