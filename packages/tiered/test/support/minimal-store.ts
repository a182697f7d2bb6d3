import type { Store, StoreCapabilities } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';

/**
 * A store with only the required methods and no capability, like a simple third-party store:
 * a MemoryStore seen through the four required methods.
 */
export function minimalStore(backing = new MemoryStore({ cleanupIntervalMs: 0 })): Store {
  const capabilities: StoreCapabilities = {
    versioned: false,
    iterate: false,
    userIndex: false,
    touch: false,
  };
  return {
    capabilities,
    find: (id, options) => backing.find(id, options),
    create: (id, record, options) => backing.create(id, record, options),
    update: (id, changes) => backing.update(id, changes),
    delete: (id, options) => backing.delete(id, options),
  };
}
