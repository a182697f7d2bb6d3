// The cheap scoped mutation run CI may call (`pnpm mutation -- --ci`): token.ts and cookie.ts
// only, from scratch, failing below the break threshold.
import base from './stryker.config.mjs';

const breakAt = Number(process.env.HALLPASS_MUTATION_BREAK ?? 85);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ['src/token.ts', 'src/cookie.ts'],
  incremental: false,
  reporters: ['clear-text', 'json'],
  jsonReporter: { fileName: 'reports/mutation/ci.json' },
  thresholds: { ...base.thresholds, break: breakAt },
};
