import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The files start servers and drive them hard: one at a time keeps the 2-core CI honest.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
