import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real servers: a cluster takes seconds to form, and raw-key checks scan the run's keys.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One throwaway 3-master cluster for the run, shared by the files that only read and
    // write keys on it (each under its own prefix); cluster-fault.test.ts starts its own.
    globalSetup: ['test/support/shared-cluster.ts'],
    // Four files at a time on two cores: the conformance files are CPU-bound, while the
    // real-time expiry file and the fault files mostly wait (on Redis's clock, on client
    // timeouts, on a restarted server), so they run beside them rather than after. Every file
    // owns its keys (a prefix of its own) and the fault files their servers. Expiry is judged
    // on the injected clock except in the small real-time group, whose margin (1.5 s for a
    // PXAT eviction) does not depend on CPU share.
    fileParallelism: true,
    maxWorkers: 4,
  },
});
