import type { Store } from '@hallpass/core';
import { DATA, type MicroDriver, TTL_MS } from './drivers.ts';

/**
 * A hallpass store under the microbenchmark, called the way SessionManager calls it:
 * update passes the version it read (compare-and-set), touch extends expiry and last-seen.
 */
export function hallpassDriver(store: Store): MicroDriver {
  const versions = new Map<string, number>();
  return {
    find: (id) => store.find(id),
    async create(id) {
      const now = Date.now();
      const result = await store.create(id, {
        data: DATA,
        expiresAt: now + TTL_MS,
        userId: null,
        createdAt: now,
        lastSeenAt: now,
      });
      if (!result.ok) throw new Error(`create ${id} failed: ${result.reason}`);
      versions.set(id, result.version);
    },
    async update(id) {
      const now = Date.now();
      const expectedVersion = store.capabilities.versioned ? versions.get(id) : undefined;
      const result = await store.update(
        id,
        { data: DATA, expiresAt: now + TTL_MS, userId: null, lastSeenAt: now },
        { expectedVersion },
      );
      if (!result.ok) throw new Error(`update ${id} failed: ${result.reason}`);
    },
    async touch(id) {
      const now = Date.now();
      if (!store.touch) throw new Error('store has no touch');
      if (!(await store.touch(id, now + TTL_MS, now))) throw new Error(`touch ${id} found nothing`);
    },
    delete: (id) => store.delete(id),
    close: async () => {
      await store.close?.();
    },
  };
}
