import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two files at a time: the stalled-backend file mostly waits on timeouts, so it runs beside
    // the outage or soak file (each starts its own servers, names and ports) without starving
    // them on a 2-core machine. More would put two load-driving files side by side.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
