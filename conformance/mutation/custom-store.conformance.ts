import { describeStore } from '@hallpass/conformance';
import { MapStore, type Row } from '../../examples/custom-store/src/map-store.js';
import { inspectBackend } from '../../examples/custom-store/test/inspector.js';
import { MUTATION_SCALE } from './scale.js';

// examples/custom-store/test/map-store.test.ts: the shipped third-party example, a Map store on
// BaseStore with only the primitives it needs (no iteration, no per-user index). Its source is
// not mutated; it is here because a store that leaves iterate and the user index out is the case
// where the kit's own rules (the capabilities it derives, the corrupt-row check of find) decide.
const backends = new WeakMap<MapStore, Map<string, Row>>();

describeStore({
  name: 'example map store',
  factory: ({ clock }) => {
    const backend = new Map<string, Row>();
    const store = new MapStore({ backend, clock });
    backends.set(store, backend);
    return store;
  },
  inspect: (store) => inspectBackend(backends.get(store)!),
  expectCapabilities: { versioned: true, iterate: false, userIndex: false, touch: true },
  scale: MUTATION_SCALE,
});
