// Mutation testing of the conformance suite itself (`pnpm mutation:conformance`, see
// scripts/mutation-conformance.sh): StrykerJS mutates the memory and SQLite stores and the store
// kit of @hallpass/core, and the ONLY test is the conformance suite run against those two stores
// (./memory.conformance.ts, ./sqlite.conformance.ts: the setups the stores' own conformance tests
// use, from their test/support/setup.ts, without the store-specific tests). A surviving mutant is
// a store bug the suite lets through. Run from the repository root. The score is published in
// conformance/README.md.
import { strykerBase } from '../../scripts/stryker-base.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...strykerBase('conformance'),
  vitest: { configFile: 'conformance/mutation/vitest.config.ts', related: false },
  mutate: [
    'packages/memory/src/**/*.ts',
    'packages/sqlite/src/**/*.ts',
    'packages/core/src/store/**/*.ts',
    // Types and re-exports only: nothing to mutate.
    '!packages/*/src/index.ts',
    '!packages/core/src/store/contract.ts',
    // Kit helpers neither store reaches: withDeadline (the network stores and the manager) and
    // supports() (the manager's capability check). Core's own tests and mutation run cover them.
    '!packages/core/src/store/deadline.ts',
    '!packages/core/src/store/capabilities.ts',
    // Store configuration the Store contract does not define, so no store conformance suite can
    // check it: each store's own tests do (packages/<store>/test).
    // - memory's maxSessions / whenFull bound;
    '!packages/memory/src/capacity.ts',
    // - where SQLite's database comes from (filename, database, busyTimeoutMs, WAL), its DDL
    //   (the migration file is checked against it) and which of its error codes mean bad input;
    '!packages/sqlite/src/open.ts',
    '!packages/sqlite/src/schema.ts',
    '!packages/sqlite/src/errors.ts',
    // - the table-name rule of the SQL stores' `table` / `schema` options (core's and SQLite's
    //   own tests).
    '!packages/core/src/store/sql-identifiers.ts',
    // Kit code for value shapes memory and SQLite never produce (pg's numeric text, mysql2's
    // bigint): core's store-kit tests and the PostgreSQL and MySQL conformance runs reach it.
    '!packages/core/src/store/driver-values.ts',
    // Inside the files mutated, single lines are left out with `// Stryker disable` comments
    // that give the reason: an equivalent mutant, or a line no store of this run reaches.
    // conformance/README.md counts both.
  ],
  // The stores live in other workspace packages: mutating them in a sandbox copy would break
  // pnpm's links, so Stryker instruments the files in place and restores them when it ends.
  inPlace: true,
  // On top of the shared settings for the 2-core machine: a test run stops at its first failure.
  disableBail: false,
  timeoutMS: 20_000,
  thresholds: { high: 90, low: 80, break: null },
};
