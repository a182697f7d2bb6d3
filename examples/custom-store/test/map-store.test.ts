import { describeStore, type RawInspector } from '@hallpass/conformance';
import { MapStore, type Row } from '../src/map-store.js';

// Each store gets its own backend; keeping a handle on it is what gives the inspector raw
// access, the way a Redis store's test keeps its own client to run SCAN and PTTL.
const backends = new WeakMap<MapStore, Map<string, Row>>();

function inspectBackend(backend: Map<string, Row>): RawInspector {
  return {
    // Nothing but the store's own cleanup deletes rows: a Map has no TTL.
    nativeExpiry: false,
    async entries() {
      return [...backend].map(([key, row]) => ({
        key,
        // The row as JSON, with the data also as text so anything written in clear is findable.
        raw: JSON.stringify({
          ...row,
          dataText: Buffer.from(String(row.data), 'base64').toString('latin1'),
        }),
        expiresAt: null,
      }));
    },
    async corrupt(id) {
      const key = `session:${id}`;
      const row = backend.get(key);
      if (row) backend.set(key, { ...row, data: null as unknown as string });
    },
  };
}

describeStore({
  name: 'example map store',
  // The suite's clock: expiry tests move it instead of sleeping.
  factory: ({ clock }) => {
    const backend = new Map<string, Row>();
    const store = new MapStore({ backend, clock });
    backends.set(store, backend);
    return store;
  },
  inspect: (store) => inspectBackend(backends.get(store)!),
  expectCapabilities: { versioned: true, iterate: false, userIndex: false, touch: true },
});
