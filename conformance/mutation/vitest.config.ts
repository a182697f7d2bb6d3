import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// The conformance suite as the only test of the stores it mutates (see stryker.config.mjs).
// Every package is loaded from its source, so a mutant in the store kit of @hallpass/core is
// what the stores and the suite run.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@hallpass\/core\/store$/, replacement: repo('packages/core/src/store.ts') },
      { find: /^@hallpass\/core$/, replacement: repo('packages/core/src/index.ts') },
      { find: /^@hallpass\/conformance$/, replacement: repo('conformance/src/index.ts') },
      // The SQLite inspector's driver, from the package that depends on it.
      {
        find: /^better-sqlite3$/,
        replacement: createRequire(repo('packages/sqlite/package.json')).resolve('better-sqlite3'),
      },
    ],
  },
  test: {
    root: repo(''),
    include: ['conformance/mutation/*.conformance.ts'],
    testTimeout: 30_000,
  },
});
