import type { DescribeStoreOptions } from '@hallpass/conformance';
import { MemoryStore } from '../../src/index.js';

/**
 * The memory store's conformance setup, the one place it is written: this package's test adds
 * its store-specific tests to it, and the conformance suite's mutation run
 * (conformance/mutation/memory.conformance.ts) its smaller scale.
 *
 * The memory store keeps its sessions in private fields: there is no backend to read behind
 * its back, so no `inspect` is given (those tests show as skipped, with the reason). An
 * inspector built on iterate() + find() would only re-test the public API.
 */
export function memoryConformance(): DescribeStoreOptions<MemoryStore> {
  return {
    name: 'memory',
    factory: ({ clock }) => new MemoryStore({ clock }),
    // The kit's standard options, as a user passes them.
    configure: (options) => new MemoryStore(options),
    expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
  };
}
