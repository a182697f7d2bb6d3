import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real servers: a cluster takes seconds to form, and raw-key checks scan the run's keys.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two files at a time: the standalone and cluster suites each own their keys (and the
    // cluster its servers), and expiry is judged on the injected clock except in the small
    // real-time group, whose margin (1.5 s for a PXAT eviction) does not depend on CPU share.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
