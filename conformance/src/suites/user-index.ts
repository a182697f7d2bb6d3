import { type SessionRecord, supports, type UserIndexStore } from '@hallpass/core';
import { expect } from 'vitest';
import { beforeDeadline, expectLive, expectRecord } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, mapInBatches, randomId, randomUserId } from '../fixtures.js';

/** Rule 4, per-user index: for stores declaring `capabilities.userIndex`. */
export function userIndexSuite(ctx: SuiteContext): void {
  const { expiryMs, clockSkewMs, testTimeoutMs } = ctx.timing;
  const expiryTimeout = testTimeoutMs + ctx.sleeping(4 * expiryMs);
  const spec = { requires: ['userIndex' as const] };
  const store = () => ctx.store as UserIndexStore;

  const listedIds = async (userId: string) =>
    (await store().listByUser(userId)).map((session) => session.id);

  /** Creates sessions for `userId`; returns [id, record] pairs in creation-time order. */
  const createFor = async (userId: string | null, count: number, expiresAt?: number) => {
    const base = ctx.clock.now() - 60_000;
    const sessions = Array.from({ length: count }, (_, i): [string, SessionRecord] => [
      randomId(),
      makeRecord({
        userId,
        createdAt: base + i * 1_000,
        ...(expiresAt === undefined ? {} : { expiresAt }),
      }),
    ]);
    for (const [id, record] of sessions) await store().create(id, record);
    return sessions;
  };

  ctx.group('per-user index', () => {
    ctx.test(
      'listByUser returns the live sessions of a user, oldest first, with their fields',
      spec,
      async () => {
        const userId = randomUserId();
        const base = ctx.clock.now() - 100_000;
        // Created out of order: the list must follow createdAt, not insertion order.
        const sessions = [2, 0, 3, 1].map((age): [string, SessionRecord] => [
          randomId(),
          makeRecord({ userId, createdAt: base + age * 10_000 }),
        ]);
        for (const [id, record] of sessions) await store().create(id, record);
        await createFor(randomUserId(), 2);
        await createFor(null, 2);

        const listed = await store().listByUser(userId);
        const expected = [...sessions].sort(([, a], [, b]) => a.createdAt - b.createdAt);
        expect(listed.map((s) => s.id)).toEqual(expected.map(([id]) => id));
        for (const [i, [id, record]] of expected.entries()) {
          const session = expectRecord(listed[i] ?? null, { id, ...record }, `listed session ${i}`);
          expect(session.version).toBe(expectLive(await store().find(id)).version);
        }
      },
    );

    ctx.test('listByUser of a user without sessions returns an empty array', spec, async () => {
      expect(await store().listByUser(randomUserId())).toEqual([]);
    });

    ctx.test('lists many sessions of one user', spec, async () => {
      const userId = randomUserId();
      const base = ctx.clock.now() - 1_000_000;
      const ids = Array.from({ length: 60 }, () => randomId());
      await mapInBatches(ids, ctx.scale.parallelism, (id, i) =>
        store().create(id, makeRecord({ userId, createdAt: base + i * 100 })),
      );
      expect(await listedIds(userId)).toEqual(ids);
    });

    ctx.test('a deleted session is no longer listed', spec, async () => {
      const userId = randomUserId();
      const [first, second] = await createFor(userId, 2);
      await store().delete(first![0]);
      expect(await listedIds(userId)).toEqual([second![0]]);
    });

    ctx.test(
      'an expired session is no longer listed, without waiting for any cleanup',
      { ...spec, timeout: expiryTimeout },
      async () => {
        const userId = randomUserId();
        const expiresAt = ctx.clock.now() + expiryMs;
        await createFor(userId, 1, expiresAt);
        const [long] = await createFor(userId, 1);
        const before = await listedIds(userId);
        expect(before, beforeDeadline('before expiry', expiresAt, ctx.clock.now())).toHaveLength(2);
        await ctx.clock.passInstant(expiresAt + clockSkewMs);
        expect(await listedIds(userId), 'after expiry').toEqual([long![0]]);
      },
    );

    ctx.test(
      'update moves a session between users and out of and into the index',
      spec,
      async () => {
        const alice = randomUserId();
        const bob = randomUserId();
        const [[id]] = (await createFor(alice, 1)) as [[string, SessionRecord]];
        await store().update(id, makeUpdate({ userId: bob }));
        expect(await listedIds(alice), 'alice after moving to bob').toEqual([]);
        expect(await listedIds(bob), 'bob after moving to bob').toEqual([id]);
        await store().update(id, makeUpdate({ userId: null }));
        expect(await listedIds(bob), 'bob after becoming anonymous').toEqual([]);
        await store().update(id, makeUpdate({ userId: alice }));
        expect(await listedIds(alice), 'alice after signing in again').toEqual([id]);
      },
    );

    ctx.test(
      'deleteByUser removes every session of the user and returns the count',
      spec,
      async () => {
        const userId = randomUserId();
        const mine = await createFor(userId, 3);
        const others = await createFor(randomUserId(), 2);
        const anonymous = await createFor(null, 1);
        expect(await store().deleteByUser(userId)).toBe(3);
        for (const [id] of mine) expect(await store().find(id), 'revoked session').toBeNull();
        expect(await store().listByUser(userId)).toEqual([]);
        for (const [id, record] of [...others, ...anonymous]) {
          expectRecord(await store().find(id), { id, ...record }, 'untouched session');
        }
        expect(await listedIds(others[0]![1].userId!)).toHaveLength(2);
      },
    );

    ctx.test('deleteByUser keeps the `except` session and does not count it', spec, async () => {
      const userId = randomUserId();
      const sessions = await createFor(userId, 4);
      const [keepId, keepRecord] = sessions[2]!;
      expect(await store().deleteByUser(userId, { except: keepId })).toBe(3);
      expectRecord(await store().find(keepId), { id: keepId, ...keepRecord }, 'kept session');
      expect(await listedIds(userId)).toEqual([keepId]);
    });

    ctx.test(
      'deleteByUser counts only live sessions',
      { ...spec, timeout: expiryTimeout },
      async () => {
        const userId = randomUserId();
        const expiresAt = ctx.clock.now() + expiryMs;
        await createFor(userId, 2, expiresAt);
        await createFor(userId, 2);
        await ctx.clock.passInstant(expiresAt + clockSkewMs);
        expect(await store().deleteByUser(userId)).toBe(2);
        expect(await store().listByUser(userId)).toEqual([]);
      },
    );

    ctx.test('deleteByUser of a user without sessions returns 0', spec, async () => {
      expect(await store().deleteByUser(randomUserId())).toBe(0);
    });

    ctx.test('a revoked session stays revoked: it cannot be updated back', spec, async () => {
      const userId = randomUserId();
      const [[id]] = (await createFor(userId, 1)) as [[string, SessionRecord]];
      await store().deleteByUser(userId);
      expect(await store().update(id, makeUpdate({ userId }))).toEqual({
        ok: false,
        reason: 'missing',
      });
      const revoked = store();
      if (supports(revoked, 'touch')) {
        expect(await revoked.touch(id, ctx.clock.now() + 60_000, ctx.clock.now()), 'touch').toBe(
          false,
        );
      }
      expect(await store().find(id)).toBeNull();
      expect(await store().listByUser(userId)).toEqual([]);
    });
  });
}
