import { describeStore } from '@hallpass/conformance';
import { mapStoreConformance } from '../../examples/custom-store/test/setup.js';
import { MUTATION_SCALE } from './scale.js';

// examples/custom-store/test/map-store.test.ts on a smaller scale: the shipped third-party
// example, a Map store on BaseStore with only the primitives it needs (no iteration, no per-user
// index). Its source is not mutated; it is here because a store that leaves iterate and the user
// index out is the case where the kit's own rules (the capabilities it derives, the corrupt-row
// check of find) decide.
describeStore({ ...mapStoreConformance(), scale: MUTATION_SCALE });
