// Mutation testing for @hallpass/core (StrykerJS + its vitest runner): does each test fail when
// the code it guards is changed? Run from the repository root with `pnpm mutation`
// (scripts/mutation.sh). By default it mutates the security-relevant files only; the report
// lands in packages/core/reports/mutation/ (gitignored) and its summary in docs/security.md.
import { strykerBase } from '../../scripts/stryker-base.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...strykerBase(''),
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
  timeoutMS: 10_000,
  thresholds: { high: 85, low: 70, break: null },
};
