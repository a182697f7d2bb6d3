import { InvalidInputError, type Store, StoreAbortedError } from '@hallpass/core';
import type { TestContext } from 'vitest';
import { expect } from 'vitest';
import { expectLive, expectRejection } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, randomId } from '../fixtures.js';

/** The on-demand cleanup every BaseStore store has (for cron jobs); not part of the Store type. */
interface ExpiredCleanup {
  deleteExpired(options?: { batchSize?: number; signal?: AbortSignal }): Promise<number>;
}

function cleanupOf(store: Store, t: TestContext): ExpiredCleanup {
  const candidate = store as Partial<ExpiredCleanup>;
  if (typeof candidate.deleteExpired !== 'function') {
    t.skip('the store has no deleteExpired() (an on-demand cleanup is optional)');
  }
  return candidate as ExpiredCleanup;
}

/**
 * Rule 5, cleanup: a store's `deleteExpired()` (when it has one) removes exactly the sessions its
 * clock calls expired (`expiresAt <= now`, the read paths' boundary), keeps every live one, and
 * returns how many it removed, each counted once. A backend that expires entries by itself
 * (inspector.nativeExpiry) may leave the work to it and return 0. With `{ batchSize }` it goes on
 * batch after batch until none is left: a cron job calls it with the background cleanup off, and
 * stopping after the first batch leaves the table growing.
 */
export function cleanupSuite(ctx: SuiteContext): void {
  const { expiryMs, clockSkewMs, testTimeoutMs } = ctx.timing;
  const timeout = testTimeoutMs + ctx.sleeping(4 * expiryMs);

  ctx.group('cleanup (deleteExpired)', () => {
    ctx.test(
      'deleteExpired removes the sessions expired by the store clock, at the boundary, and keeps live ones',
      { controlledClock: true },
      async (t) => {
        const store = ctx.store;
        const cleanable = cleanupOf(store, t);
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

    ctx.test(
      'deleteExpired removes every expired session in batches, keeps live ones, returns the count',
      { timeout },
      async (t) => {
        const cleanup = cleanupOf(ctx.store, t);
        const expiresAt = ctx.clock.now() + expiryMs;
        const expired = Array.from({ length: 5 }, () => randomId());
        const live = Array.from({ length: 2 }, () => randomId());
        for (const id of expired) await ctx.store.create(id, makeRecord({ expiresAt }));
        for (const id of live) {
          await ctx.store.create(id, makeRecord({ expiresAt: expiresAt + 100 * expiryMs }));
        }
        await ctx.clock.passInstant(expiresAt + clockSkewMs);
        // Batches of 2: the five expired sessions (and any other test's) need three of them.
        const removed = await cleanup.deleteExpired({ batchSize: 2 });
        if (removed !== 0) {
          expect(removed, 'removed: at least the five expired sessions').toBeGreaterThanOrEqual(5);
        }
        expect(await cleanup.deleteExpired({ batchSize: 2 }), 'a second run').toBe(0);
        for (const id of live) expectLive(await ctx.store.find(id), 'a live session');
      },
    );

    ctx.test(
      'deleteExpired refuses a batchSize that is not a positive integer, and an aborted signal',
      {},
      async (t) => {
        const cleanup = cleanupOf(ctx.store, t);
        for (const batchSize of [0, -1, 1.5, Number.NaN]) {
          await expectRejection(
            () => cleanup.deleteExpired({ batchSize }),
            InvalidInputError,
            `deleteExpired with batchSize ${batchSize}`,
          );
        }
        const controller = new AbortController();
        controller.abort(new Error('aborted by the conformance suite'));
        await expectRejection(
          () => cleanup.deleteExpired({ signal: controller.signal }),
          StoreAbortedError,
          'deleteExpired with an aborted signal',
        );
      },
    );
  });
}
