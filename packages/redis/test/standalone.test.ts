import { Redis } from 'ioredis';
import { describe, it } from 'vitest';
import { ownIoredis } from './support/clients.js';
import { describeRedisStore } from './support/conformance.js';
import {
  isReachable,
  missingServerMode,
  REDIS_URL,
  START_REDIS_HINT,
  uniquePrefix,
} from './support/env.js';

/**
 * The suite against the standalone server at HALLPASS_REDIS_URL (default localhost:6379), with
 * the ioredis client the store creates from a URL: every group but the real-time one
 * (backend-expiry.test.ts), which then runs beside this file instead of after it.
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
    'full',
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
