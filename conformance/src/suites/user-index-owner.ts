import type { UserIndexStore } from '@hallpass/core';
import { expect } from 'vitest';
import { expectLive } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId, randomUserId } from '../fixtures.js';

/**
 * Rule 4, per-user index: revocation follows the session's current owner. An index entry left
 * under a previous owner (after an update moved the session, or after the session expired and
 * its id was created again for someone else) must not let that owner's deleteByUser end, or
 * count, a session that is no longer theirs. listByUser alone cannot show this: a store may
 * filter what it lists by the stored userId and still delete by the stale entry.
 */
export function userIndexOwnerSuite(ctx: SuiteContext): void {
  const { expiryMs, clockSkewMs, testTimeoutMs } = ctx.timing;
  const spec = { requires: ['userIndex' as const] };
  const store = () => ctx.store as UserIndexStore;

  ctx.group('per-user index: current owner', () => {
    ctx.test(
      "deleteByUser of a session's previous owner neither removes nor counts it",
      spec,
      async () => {
        const alice = randomUserId();
        const bob = randomUserId();
        const id = randomId();
        await store().create(id, makeRecord({ userId: alice }));
        await store().update(id, makeUpdate({ userId: bob }));
        expect(await store().deleteByUser(alice), "alice's deleteByUser after the move").toBe(0);
        expect(expectLive(await store().find(id), 'the moved session').userId).toBe(bob);
        await store().update(id, makeUpdate({ userId: null }));
        expect(await store().deleteByUser(bob), "bob's deleteByUser once anonymous").toBe(0);
        expectLive(await store().find(id), 'the session after it became anonymous');
        await store().update(id, makeUpdate({ userId: alice }));
        expect(await store().deleteByUser(alice), 'alice signed in again').toBe(1);
        expect(await store().find(id)).toBeNull();
      },
    );

    ctx.test(
      'a session created on an expired id belongs only to its new owner',
      { ...spec, timeout: testTimeoutMs + ctx.sleeping(4 * expiryMs) },
      async () => {
        const alice = randomUserId();
        const bob = randomUserId();
        const id = randomId();
        const expiresAt = ctx.clock.now() + expiryMs;
        await store().create(id, makeRecord({ userId: alice, expiresAt }));
        // Not read after its expiry: the create below is the first call to meet it expired.
        await ctx.clock.passInstant(expiresAt + clockSkewMs);
        const created = await store().create(id, makeRecord({ userId: bob }));
        expect(created.ok, 'create on the expired id').toBe(true);
        expect(await store().deleteByUser(alice), "the expired session's owner").toBe(0);
        expect(expectLive(await store().find(id), "bob's session").userId).toBe(bob);
        expect(
          (await store().listByUser(bob)).map((session) => session.id),
          "bob's sessions",
        ).toEqual([id]);
        expect(await store().deleteByUser(bob)).toBe(1);
      },
    );
  });
}
