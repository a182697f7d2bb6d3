// Mutation testing for @hallpass/core (StrykerJS + its vitest runner): does each test fail when
// the code it guards is changed? Run from the repository root with `pnpm mutation`
// (scripts/mutation.sh). By default it mutates the security-relevant files only; the report
// lands in packages/core/reports/mutation/ (gitignored) and its summary in docs/security.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { related: true },
  mutate: [
    'src/token.ts',
    'src/cookie.ts',
    'src/binding.ts',
    'src/manager.ts',
    'src/session.ts',
    // The lifecycle rework moves load/commit/rebase here.
    'src/persistence/**/*.ts',
  ],
  coverageAnalysis: 'perTest',
  // The machine is shared (2 cores): one test process, and only the mutants of changed code
  // are re-run (the incremental file is kept between runs).
  concurrency: 1,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 85, low: 70, break: null },
};
