import { Redis } from 'ioredis';
import { describe, it } from 'vitest';
import { connectNodeRedis, ownNodeRedis } from './support/clients.js';
import { describeRedisStore } from './support/conformance.js';
import {
  isReachable,
  missingServerMode,
  REDIS_URL,
  START_REDIS_HINT,
  uniquePrefix,
} from './support/env.js';

/**
 * The suite against the standalone server at HALLPASS_REDIS_URL with a node-redis client the
 * application connected and passed in: the groups the client adapter can break (see
 * CLIENT_GROUPS in support/conformance.ts); standalone.test.ts runs every group with ioredis.
 */
if (await isReachable(REDIS_URL)) {
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
} else if (missingServerMode() === 'fail') {
  it(`redis standalone node-redis: a server is reachable at ${REDIS_URL}`, () => {
    throw new Error(`no Redis server answers at ${REDIS_URL} (CI=true): ${START_REDIS_HINT}`);
  });
} else {
  describe.skip(`redis standalone node-redis [skipped: no Redis at ${REDIS_URL}; ${START_REDIS_HINT}]`, () => {
    it('conformance suite', () => {});
  });
}
