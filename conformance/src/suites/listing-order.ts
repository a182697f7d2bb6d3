import type { UserIndexStore } from '@hallpass/core';
import { expect } from 'vitest';
import type { SuiteContext } from '../context.js';
import { makeRecord, randomId, randomUserId } from '../fixtures.js';

/**
 * Rule 4, listByUser order: oldest first, and sessions that share a `createdAt` by id (code-unit
 * order), so "your devices" lists the same way on every request and every store, whatever order
 * the backend's index happens to return them in.
 */
export function listingOrderSuite(ctx: SuiteContext): void {
  ctx.group('listing order', () => {
    ctx.test(
      'listByUser orders sessions with the same createdAt by id',
      { requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        const userId = randomUserId();
        const createdAt = ctx.clock.now() - 60_000;
        const older = randomId();
        // Written neither in id order nor in its reverse, so an index that returns insertion
        // order fails, and a comparator must order pairs both ways.
        const ids = Array.from({ length: 5 }, () => randomId()).sort();
        const tied = [2, 0, 4, 1, 3].map((i) => ids[i] as string);
        for (const id of tied) await store.create(id, makeRecord({ userId, createdAt }));
        await store.create(older, makeRecord({ userId, createdAt: createdAt - 1 }));
        const listed = (await store.listByUser(userId)).map((session) => session.id);
        expect(listed).toEqual([older, ...ids]);
      },
    );
  });
}
