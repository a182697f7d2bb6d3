// What every Stryker run of this repository shares (packages/core/stryker.config.mjs,
// conformance/mutation/stryker.config.mjs): the vitest runner, the settings for the shared
// 2-core machine and the reports. Each config adds what it mutates, how it runs its tests, its
// timeout and thresholds.
import { join } from 'node:path';

/**
 * The shared options, for a run whose reports and temporary folder live under `dir` (relative
 * to the folder Stryker runs in: '' for that folder itself).
 * @param {string} dir
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function strykerBase(dir) {
  const reports = join(dir, 'reports');
  return {
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    coverageAnalysis: 'perTest',
    // The machine is shared (2 cores): one test process, and only the mutants of changed code
    // are re-run (the incremental file is kept between runs).
    concurrency: 1,
    incremental: true,
    incrementalFile: join(reports, 'stryker-incremental.json'),
    tempDirName: join(dir, '.stryker-tmp'),
    cleanTempDir: 'always',
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: join(reports, 'mutation', 'index.html') },
    jsonReporter: { fileName: join(reports, 'mutation', 'mutation.json') },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  };
}
