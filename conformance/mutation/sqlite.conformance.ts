import { describeStore } from '@hallpass/conformance';
import { sqliteConformance } from '../../packages/sqlite/test/support/setup.js';
import { MUTATION_SCALE } from './scale.js';

// packages/sqlite/test/conformance.test.ts without its store-specific tests, on a smaller scale.
describeStore({ ...sqliteConformance().options, scale: MUTATION_SCALE });
