import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The migration guide's examples import the package by its published name.
    alias: {
      '@hallpass/express-session': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    // Real sockets on a shared, busy CI machine: allow slow round trips (no test asserts speed).
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
