import type { Store } from '@hallpass/core';
import { expect } from 'vitest';
import { expectLive } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, randomId } from '../fixtures.js';

/** The cron-style cleanup the kit's stores expose (BaseStore): not a capability, an extra. */
type CleanableStore = Store & { deleteExpired(): Promise<number> };

function hasDeleteExpired(store: Store): store is CleanableStore {
  return typeof (store as Partial<CleanableStore>).deleteExpired === 'function';
}

/**
 * Rule 5, cleanup: a store's `deleteExpired()` (when it has one) removes exactly the sessions its
 * clock calls expired (`expiresAt <= now`, the read paths' boundary), keeps every live one, and
 * returns how many it removed, each counted once. A backend that expires entries by itself
 * (inspector.nativeExpiry) may leave the work to it and return 0.
 */
export function cleanupSuite(ctx: SuiteContext): void {
  ctx.group('cleanup (deleteExpired)', () => {
    ctx.test(
      'deleteExpired removes the sessions expired by the store clock, at the boundary, and keeps live ones',
      { controlledClock: true },
      async (t) => {
        const store = ctx.store;
        if (!hasDeleteExpired(store)) t.skip('the store has no deleteExpired()');
        const cleanable = store as CleanableStore;
        const raw = ctx.options.inspect ? await ctx.inspector() : undefined;
        const expiresAt = ctx.clock.now() + ctx.timing.expiryMs;
        const expiring = [randomId(), randomId(), randomId()];
        // Live one millisecond past the others' expiry, and long after it.
        const live = [randomId(), randomId()];
        for (const id of expiring) await store.create(id, makeRecord({ expiresAt }));
        await store.create(live[0] as string, makeRecord({ expiresAt: expiresAt + 1 }));
        await store.create(live[1] as string, makeRecord({ expiresAt: expiresAt + 3_600_000 }));

        ctx.clock.pin(expiresAt - 1);
        await cleanable.deleteExpired();
        for (const id of expiring) {
          expectLive(await store.find(id), 'a session deleteExpired ran 1 ms before its expiry');
        }

        // Not read in between: a store that drops expired entries on read must not hide a
        // cleanup that removes nothing.
        ctx.clock.pin(expiresAt);
        const removed = await cleanable.deleteExpired();
        expect(Number.isSafeInteger(removed), `deleteExpired returned ${removed}`).toBe(true);
        // A shared backend may hold other tests' expired sessions too: at least ours.
        if (!(raw?.nativeExpiry && removed === 0)) {
          expect(
            removed,
            'deleteExpired at exactly expiresAt: sessions removed',
          ).toBeGreaterThanOrEqual(expiring.length);
        }
        for (const id of live) {
          expectLive(await store.find(id), 'a live session after deleteExpired');
        }
        const again = await cleanable.deleteExpired();
        expect(again, 'a second deleteExpired at the same instant counted them again').toBeLessThan(
          expiring.length,
        );
        if (raw && !raw.nativeExpiry) {
          const keys = (await raw.entries()).map((entry) => `${entry.key} ${entry.raw}`);
          for (const id of expiring) {
            expect(
              keys.filter((key) => key.includes(id)),
              'entries of an expired session after deleteExpired',
            ).toEqual([]);
          }
        }
      },
    );
  });
}
