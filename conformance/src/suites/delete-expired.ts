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
 * Rule 5, cleanup on demand: a store's `deleteExpired({ batchSize })`, when it has one, removes
 * the sessions expired at its clock batch after batch until none is left, never a live one, and
 * returns how many it removed (0 on a backend that expires sessions by itself). A cron job calls
 * it with the background cleanup off; stopping after the first batch leaves the table growing.
 */
export function deleteExpiredSuite(ctx: SuiteContext): void {
  const { expiryMs, clockSkewMs, testTimeoutMs } = ctx.timing;
  const timeout = testTimeoutMs + ctx.sleeping(4 * expiryMs);

  ctx.group('deleteExpired', () => {
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
