import { Redis } from 'ioredis';
import { describe, it } from 'vitest';
import { describeRedisStore } from './support/conformance.js';
import {
  isReachable,
  missingServerMode,
  REDIS_URL,
  START_REDIS_HINT,
  uniquePrefix,
} from './support/env.js';

/** The full suite against the standalone server at HALLPASS_REDIS_URL (default localhost:6379). */
if (await isReachable(REDIS_URL)) {
  describeRedisStore(
    {
      name: 'standalone',
      connection: () => ({ url: REDIS_URL }),
      newClient: () => new Redis(REDIS_URL),
      admin: new Redis(REDIS_URL),
    },
    uniquePrefix('standalone'),
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
