import type { UserIndexStore } from '@hallpass/core';
import { expect } from 'vitest';
import { expectLive } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, randomId, randomUserId } from '../fixtures.js';

/** The same characters with upper and lower case swapped: another user id. */
function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}

/**
 * Rule 4, the per-user index keyed right: a user id matches only itself (no prefix, pattern,
 * collation or case folding), anonymous sessions belong to nobody, and sessions that share a
 * creation time are still distinct entries.
 */
export function userIdsSuite(ctx: SuiteContext): void {
  const spec = { requires: ['userIndex' as const] };
  const store = () => ctx.store as UserIndexStore;
  const listedIds = async (userId: string) =>
    (await store().listByUser(userId)).map((session) => session.id).sort();

  ctx.group('user ids', () => {
    ctx.test(
      'listByUser and deleteByUser match the user id exactly: no prefix, pattern or case folding',
      spec,
      async () => {
        const base = randomUserId();
        // Neighbours a LIKE, a glob, a prefix scan or a case-insensitive collation would merge.
        const userIds = [
          `${base}-1`,
          `${base}-10`,
          `${base}-1-0`,
          swapCase(`${base}-1`),
          `${base}-_`,
          `${base}-%`,
          `${base}-*`,
          `${base}-?`,
          `${base}-[1]`,
        ];
        const owned = new Map<string, string[]>();
        for (const [i, userId] of userIds.entries()) {
          const ids = Array.from({ length: 1 + (i % 2) }, () => randomId());
          for (const id of ids) await store().create(id, makeRecord({ userId }));
          owned.set(userId, [...ids].sort());
        }
        for (const userId of userIds) {
          expect(await listedIds(userId), `listByUser(${userId})`).toEqual(owned.get(userId));
        }
        // Revoke them one by one: each takes its own sessions and leaves every neighbour's.
        for (const [i, userId] of userIds.entries()) {
          const mine = owned.get(userId) ?? [];
          expect(await store().deleteByUser(userId), `deleteByUser(${userId})`).toBe(mine.length);
          for (const id of mine) expect(await store().find(id), `${userId}'s session`).toBeNull();
          for (const other of userIds.slice(i + 1)) {
            expect(await listedIds(other), `${other} after deleteByUser(${userId})`).toEqual(
              owned.get(other),
            );
          }
        }
      },
    );

    ctx.test(
      'anonymous sessions are in no user index, not even of a user named "null"',
      spec,
      async () => {
        const anonymous = [randomId(), randomId()];
        for (const id of anonymous) await store().create(id, makeRecord({ userId: null }));
        const named = randomId();
        await store().create(named, makeRecord({ userId: 'null' }));
        // Other runs may share the backend and the user "null": only our sessions are judged.
        const listed = await listedIds('null');
        expect(listed, 'listByUser("null") lists the session of the user "null"').toContain(named);
        for (const id of anonymous) {
          expect(listed, 'listByUser("null") lists an anonymous session').not.toContain(id);
        }
        expect(await store().deleteByUser('null'), 'deleteByUser("null")').toBeGreaterThanOrEqual(
          1,
        );
        expect(await store().find(named), 'the session of the user "null"').toBeNull();
        for (const id of anonymous) {
          expectLive(await store().find(id), 'an anonymous session after deleteByUser("null")');
        }
      },
    );

    ctx.test(
      'sessions of one user created in the same millisecond are all listed and all revoked',
      { ...spec, controlledClock: true },
      async () => {
        const userId = randomUserId();
        const now = ctx.clock.now() + 1_000;
        ctx.clock.pin(now);
        const ids = Array.from({ length: 5 }, () => randomId());
        await Promise.all(
          ids.map((id) =>
            store().create(id, makeRecord({ userId, createdAt: now, lastSeenAt: now })),
          ),
        );
        const listed = await store().listByUser(userId);
        expect(listed.map((s) => s.id).sort(), 'listed').toEqual([...ids].sort());
        for (const session of listed) expect(session.createdAt).toBe(now);
        expect(await store().deleteByUser(userId), 'deleteByUser').toBe(ids.length);
        for (const id of ids) expect(await store().find(id), 'a revoked session').toBeNull();
        expect(await store().listByUser(userId)).toEqual([]);
      },
    );
  });
}
