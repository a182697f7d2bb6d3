import type { DescribeStoreOptions } from '@hallpass/conformance';
import { MapStore, type Row } from '../src/map-store.js';
import { DownBackend } from './down-backend.js';
import { inspectBackend } from './inspector.js';

/**
 * The example store's conformance setup, the one place it is written: this example's test runs
 * it, and the conformance suite's mutation run (conformance/mutation/custom-store.conformance.ts)
 * on its smaller scale.
 */
export function mapStoreConformance(): DescribeStoreOptions<MapStore> {
  // Each store gets its own backend; keeping a handle on it is what gives the inspector raw
  // access, the way a Redis store's test keeps its own client to run SCAN and PTTL.
  const backends = new WeakMap<MapStore, Map<string, Row>>();
  return {
    name: 'example map store',
    // The suite's clock: expiry tests move it instead of sleeping.
    factory: ({ clock }) => {
      const backend = new Map<string, Row>();
      const store = new MapStore({ backend, clock });
      backends.set(store, backend);
      return store;
    },
    // The standard options every store on the kit accepts (maxDataBytes, cleanupIntervalMs...),
    // as a user passes them: the suite checks the kit applies them.
    configure: (options) => {
      const backend = new Map<string, Row>();
      const store = new MapStore({ backend, ...options });
      backends.set(store, backend);
      return store;
    },
    inspect: (store) => inspectBackend(backends.get(store)!),
    expectCapabilities: { versioned: true, iterate: false, userIndex: false, touch: true },
    // Error messages start with the name the store gives itself.
    storeName: 'map',
    // The same store over a backend whose every call fails.
    unavailable: { factory: ({ clock }) => new MapStore({ backend: new DownBackend(), clock }) },
  };
}
