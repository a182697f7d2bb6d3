import { REDIS_URL } from '@hallpass/test-support';
import { Cluster, Redis } from 'ioredis';
import { ownIoredis, ownIoredisCluster } from './support/clients.js';
import { sharedClusterNodes } from './support/cluster.js';
import { describeRedisStore } from './support/conformance.js';
import { standaloneReachable } from './support/missing-server.js';
import { uniquePrefix } from './support/prefix.js';

/**
 * The only tests of the package that wait in real time for expiry: the conformance group "backend-native
 * expiry (real time)" (Redis itself evicts a session at its PXAT, to the millisecond, after a
 * touch only at the new expiry, and by real time when the store's clock runs ahead), on the
 * standalone server and on the cluster, with ioredis (Redis evicts whichever client wrote the
 * key). A file of its own: it mostly sleeps, so it runs beside the CPU-bound suites.
 */
if (await standaloneReachable('redis standalone expiry')) {
  describeRedisStore(
    {
      name: 'standalone',
      connection: () => ({ url: REDIS_URL }),
      newClient: () => ownIoredis(REDIS_URL),
      admin: new Redis(REDIS_URL),
    },
    uniquePrefix('standalone-expiry'),
    'real-time',
  );
}

const nodes = sharedClusterNodes('redis cluster expiry');
if (nodes) {
  describeRedisStore(
    {
      name: 'cluster',
      connection: () => ({ cluster: { nodes } }),
      newClient: () => ownIoredisCluster(nodes),
      admin: new Cluster(nodes),
    },
    uniquePrefix('cluster-expiry'),
    'real-time',
  );
}
