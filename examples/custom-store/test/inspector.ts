import type { RawInspector } from '@hallpass/conformance';
import type { Row } from '../src/map-store.js';

/**
 * Raw access to a MapStore's backend, the way a Redis store's test keeps its own client to run
 * SCAN and PTTL. Used by this example's conformance setup (setup.ts), which the conformance
 * suite's mutation run shares.
 */
export function inspectBackend(backend: Map<string, Row>): RawInspector {
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
