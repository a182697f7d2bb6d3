import {
  type IterableStore,
  supports,
  type TouchableStore,
  type UserIndexStore,
} from '@hallpass/core';
import { expect } from 'vitest';
import { expectRecord } from '../assertions.js';
import type { SuiteContext, TestSpec } from '../context.js';
import { collect, makeRecord, makeUpdate, randomId, randomUserId } from '../fixtures.js';

/**
 * Rule 5 at its edge: `expiresAt` is the first instant a session is gone. The clock is pinned
 * one millisecond before and then exactly at it, and every path is read on a session of its
 * own, so a lazy delete by one path cannot hide a `<` where `<=` belongs in another.
 */
export function expiryBoundarySuite(ctx: SuiteContext): void {
  const pinned: TestSpec = { controlledClock: true };

  /** A session (of a user of its own) expiring `expiryMs` ahead; the clock pinned 1 ms before. */
  const sessionAtTheEdge = async () => {
    const store = ctx.store;
    const id = randomId();
    const userId = randomUserId();
    const record = makeRecord({ userId, expiresAt: ctx.clock.now() + ctx.timing.expiryMs });
    const created = await store.create(id, record);
    if (!created.ok) throw new Error('create of a fresh id returned exists');
    ctx.clock.pin(record.expiresAt - 1);
    return { id, userId, record, version: created.version };
  };
  const atExpiry = (expiresAt: number) => ctx.clock.pin(expiresAt);

  ctx.group('expiry boundary', () => {
    ctx.test('find: live 1 ms before expiresAt, gone at exactly expiresAt', pinned, async () => {
      const { id, record } = await sessionAtTheEdge();
      expectRecord(await ctx.store.find(id), { id, ...record }, '1 ms before expiresAt');
      atExpiry(record.expiresAt);
      expect(await ctx.store.find(id), 'at expiresAt').toBeNull();
    });

    ctx.test(
      'listByUser: listed 1 ms before expiresAt, not at exactly expiresAt',
      { ...pinned, requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        const { id, userId, record } = await sessionAtTheEdge();
        const before = await store.listByUser(userId);
        expect(
          before.map((s) => s.id),
          '1 ms before expiresAt',
        ).toEqual([id]);
        atExpiry(record.expiresAt);
        expect(await store.listByUser(userId), 'at expiresAt').toEqual([]);
      },
    );

    ctx.test(
      'iterate: yielded 1 ms before expiresAt, not at exactly expiresAt',
      { ...pinned, requires: ['iterate'] },
      async () => {
        const store = ctx.store as IterableStore;
        const { id, record } = await sessionAtTheEdge();
        const yieldedIds = async () => (await collect(store.iterate())).map((s) => s.id);
        expect(await yieldedIds(), '1 ms before expiresAt').toContain(id);
        atExpiry(record.expiresAt);
        expect(await yieldedIds(), 'at expiresAt').not.toContain(id);
      },
    );

    ctx.test(
      'touch at exactly expiresAt returns false and revives nothing',
      { ...pinned, requires: ['touch'] },
      async () => {
        const store = ctx.store as TouchableStore;
        const { id, record } = await sessionAtTheEdge();
        atExpiry(record.expiresAt);
        expect(await store.touch(id, record.expiresAt + 60_000, record.expiresAt)).toBe(false);
        expect(await store.find(id), 'after the touch').toBeNull();
      },
    );

    ctx.test(
      'update at exactly expiresAt returns missing, with or without expectedVersion',
      pinned,
      async () => {
        const { id, record, version } = await sessionAtTheEdge();
        atExpiry(record.expiresAt);
        const changes = makeUpdate({ expiresAt: record.expiresAt + 60_000 });
        expect(await ctx.store.update(id, changes, { expectedVersion: version })).toEqual({
          ok: false,
          reason: 'missing',
        });
        expect(await ctx.store.update(id, changes)).toEqual({ ok: false, reason: 'missing' });
        expect(await ctx.store.find(id), 'after the updates').toBeNull();
      },
    );

    ctx.test(
      'deleteByUser at exactly expiresAt does not count the session',
      { ...pinned, requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        const { userId, record } = await sessionAtTheEdge();
        atExpiry(record.expiresAt);
        expect(await store.deleteByUser(userId)).toBe(0);
      },
    );

    ctx.test('create at exactly expiresAt of the previous session succeeds', pinned, async () => {
      const { id, record } = await sessionAtTheEdge();
      atExpiry(record.expiresAt);
      const fresh = makeRecord({ expiresAt: record.expiresAt + 60_000 });
      expect(await ctx.store.create(id, fresh)).toMatchObject({ ok: true });
      expectRecord(await ctx.store.find(id), { id, ...fresh });
    });

    ctx.test(
      'create and update with expiresAt equal to the clock persist nothing',
      pinned,
      async () => {
        const now = ctx.clock.now() + 1_000;
        ctx.clock.pin(now);
        const created = randomId();
        await ctx.store.create(created, makeRecord({ expiresAt: now }));
        const updated = randomId();
        await ctx.store.create(updated, makeRecord());
        await ctx.store.update(updated, makeUpdate({ expiresAt: now }));
        // Still the same millisecond: a store comparing with `<` keeps both live.
        expect(await ctx.store.find(created), 'created with expiresAt = now').toBeNull();
        expect(await ctx.store.find(updated), 'updated with expiresAt = now').toBeNull();
      },
    );

    ctx.test(
      'create with a past expiresAt on a live id returns exists and leaves the session',
      {},
      async () => {
        const id = randomId();
        const record = makeRecord({ userId: randomUserId() });
        await ctx.store.create(id, record);
        for (const expiresAt of [ctx.clock.now() - 60_000, ctx.clock.now()]) {
          const result = await ctx.store.create(id, makeRecord({ expiresAt }));
          expect(result, `create with expiresAt ${expiresAt - ctx.clock.now()} ms ahead`).toEqual({
            ok: false,
            reason: 'exists',
          });
          expectRecord(await ctx.store.find(id), { id, ...record }, 'the live session');
        }
      },
    );

    ctx.test(
      'a create whose expiresAt has passed is seen by no read path and leaves its id free',
      {},
      async () => {
        const store = ctx.store;
        const id = randomId();
        const userId = randomUserId();
        await store.create(id, makeRecord({ userId, expiresAt: ctx.clock.now() - 1 }));
        expect(await store.find(id), 'find').toBeNull();
        if (supports(store, 'userIndex')) {
          expect(await store.listByUser(userId), 'listByUser').toEqual([]);
        }
        if (supports(store, 'iterate')) {
          const yielded = (await collect(store.iterate())).map((s) => s.id);
          expect(yielded, 'iterate').not.toContain(id);
        }
        if (supports(store, 'touch')) {
          expect(await store.touch(id, ctx.clock.now() + 60_000, ctx.clock.now()), 'touch').toBe(
            false,
          );
        }
        expect(await store.update(id, makeUpdate({ userId })), 'update').toEqual({
          ok: false,
          reason: 'missing',
        });
        if (supports(store, 'userIndex')) {
          expect(await store.deleteByUser(userId), 'deleteByUser').toBe(0);
        }
        // The id is free, and a create on it writes the new record whole, nothing of the old.
        const fresh = makeRecord({ userId: null, createdAt: ctx.clock.now() - 3 });
        const created = await store.create(id, fresh);
        expect(created.ok, 'a later create of the id').toBe(true);
        const found = expectRecord(await store.find(id), { id, ...fresh }, 'the later session');
        if (created.ok && store.capabilities.versioned) expect(found.version).toBe(created.version);
        if (supports(store, 'userIndex')) {
          expect(await store.listByUser(userId), 'listByUser after the later create').toEqual([]);
        }
      },
    );
  });
}
