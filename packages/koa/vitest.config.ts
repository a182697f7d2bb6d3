import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real sockets on a shared, busy CI machine: allow slow round trips (no test asserts speed).
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
