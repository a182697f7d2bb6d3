import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real servers: a cluster takes seconds to form, and raw-key checks scan the run's keys.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The standalone and cluster suites each keep a server busy; running them one after the
    // other keeps the timing-sensitive expiry tests honest on a 2-core machine.
    fileParallelism: false,
  },
});
