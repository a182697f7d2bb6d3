import { describeStore } from '@hallpass/conformance';
import { sqliteConformance } from './support/setup.js';
import { sqliteSpecificTests } from './support/specific.js';

const { options, paths } = sqliteConformance();

describeStore({
  ...options,
  additionalTests: (ctx) => sqliteSpecificTests(ctx, paths),
});
