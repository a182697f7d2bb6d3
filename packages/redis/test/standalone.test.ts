import { freePort, REDIS_URL } from '@hallpass/test-support';
import { Redis } from 'ioredis';
import { ownIoredis } from './support/clients.js';
import { describeRedisStore } from './support/conformance.js';
import { standaloneReachable } from './support/missing-server.js';
import { uniquePrefix } from './support/prefix.js';

/**
 * The suite against the standalone server at HALLPASS_REDIS_URL (default localhost:6379), with
 * the ioredis client the store creates from a URL: every group but the real-time one
 * (backend-expiry.test.ts), which then runs beside this file instead of after it.
 */
if (await standaloneReachable('redis standalone')) {
  const nobody = await freePort();
  describeRedisStore(
    {
      name: 'standalone',
      connection: () => ({ url: REDIS_URL }),
      newClient: () => ownIoredis(REDIS_URL),
      admin: new Redis(REDIS_URL),
      unreachable: () => ({ url: `redis://127.0.0.1:${nobody}` }),
    },
    uniquePrefix('standalone'),
    'full',
  );
}
