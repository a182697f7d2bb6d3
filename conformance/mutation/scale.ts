import type { ConformanceScale } from '@hallpass/conformance';

/**
 * Smaller load tests than a store's own run (as in the conformance self-test): every mutant
 * reruns the tests that cover it, and the rules those tests guard do not depend on the size.
 */
export const MUTATION_SCALE: ConformanceScale = { iterationSessions: 300 };
