import { describeStore } from '@hallpass/conformance';
import { memoryConformance } from '../../packages/memory/test/support/setup.js';
import { MUTATION_SCALE } from './scale.js';

// packages/memory/test/memory.test.ts without its store-specific tests, on a smaller scale.
describeStore({ ...memoryConformance(), scale: MUTATION_SCALE });
