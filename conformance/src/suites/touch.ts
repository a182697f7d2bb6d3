import type { TouchableStore, UserIndexStore } from '@hallpass/core';
import { expect } from 'vitest';
import { beforeDeadline, expectBytes, expectLive, expectRecord } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId, randomUserId } from '../fixtures.js';

/** Rule 4, touch: for stores declaring `capabilities.touch`. */
export function touchSuite(ctx: SuiteContext): void {
  const { expiryMs, clockSkewMs, testTimeoutMs } = ctx.timing;
  const expiryTimeout = testTimeoutMs + ctx.sleeping(4 * expiryMs);
  const spec = { requires: ['touch' as const] };
  const store = () => ctx.store as TouchableStore;

  ctx.group('touch', () => {
    ctx.test(
      'touch extends the expiry: the session outlives its original expiresAt',
      { ...spec, timeout: expiryTimeout },
      async () => {
        const id = randomId();
        const record = makeRecord({
          userId: randomUserId(),
          expiresAt: ctx.clock.now() + expiryMs,
        });
        await store().create(id, record);
        const before = expectLive(await store().find(id));
        const expiresAt = ctx.clock.now() + 10 * expiryMs;
        const lastSeenAt = ctx.clock.now() + 7;
        const touched = await store().touch(id, expiresAt, lastSeenAt);
        expect(
          touched,
          beforeDeadline('touch before the original expiry', record.expiresAt, ctx.clock.now()),
        ).toBe(true);
        await ctx.clock.passInstant(record.expiresAt + clockSkewMs);
        const after = expectRecord(
          await store().find(id),
          { id, ...record, expiresAt, lastSeenAt },
          'after the original expiry',
        );
        if (store().capabilities.versioned) {
          expect(after.version, 'touch does not change the version').toBe(before.version);
        }
      },
    );

    ctx.test(
      'touch changes neither data nor version: a compare-and-set still succeeds',
      spec,
      async () => {
        const id = randomId();
        const record = makeRecord();
        const created = await store().create(id, record);
        if (!created.ok) throw new Error('create of a fresh id returned exists');
        expect(await store().touch(id, ctx.clock.now() + 120_000, ctx.clock.now())).toBe(true);
        const found = expectLive(await store().find(id));
        expectBytes(found.data, record.data);
        expect(found.createdAt).toBe(record.createdAt);
        if (store().capabilities.versioned) {
          expect(found.version, 'version after touch').toBe(created.version);
          const result = await store().update(id, makeUpdate(), {
            expectedVersion: created.version,
          });
          expect(result.ok, 'update with the pre-touch version').toBe(true);
        }
      },
    );

    ctx.test('touch of a never-created id returns false and creates nothing', spec, async () => {
      const id = randomId();
      expect(await store().touch(id, ctx.clock.now() + 60_000, ctx.clock.now())).toBe(false);
      expect(await store().find(id)).toBeNull();
    });

    ctx.test(
      'touch of a deleted session returns false and does not recreate it',
      spec,
      async () => {
        const id = randomId();
        await store().create(id, makeRecord());
        await store().delete(id);
        expect(await store().touch(id, ctx.clock.now() + 60_000, ctx.clock.now())).toBe(false);
        expect(await store().find(id)).toBeNull();
      },
    );

    ctx.test(
      'touch of an expired session returns false and does not revive it',
      { ...spec, timeout: expiryTimeout },
      async () => {
        const id = randomId();
        const expiresAt = ctx.clock.now() + expiryMs;
        await store().create(id, makeRecord({ expiresAt }));
        await ctx.clock.passInstant(expiresAt + clockSkewMs);
        expect(await store().touch(id, ctx.clock.now() + 60_000, ctx.clock.now())).toBe(false);
        expect(await store().find(id)).toBeNull();
      },
    );

    ctx.test('touch can shorten the expiry', { ...spec, timeout: expiryTimeout }, async () => {
      const id = randomId();
      await store().create(id, makeRecord());
      const expiresAt = ctx.clock.now() + expiryMs;
      expect(await store().touch(id, expiresAt, ctx.clock.now())).toBe(true);
      const before = await store().find(id);
      expectLive(before, beforeDeadline('before the new expiry', expiresAt, ctx.clock.now()));
      await ctx.clock.passInstant(expiresAt + clockSkewMs);
      expect(await store().find(id), 'after the new expiry').toBeNull();
    });

    ctx.test('touch with expiresAt in the past leaves no live session', spec, async () => {
      const id = randomId();
      await store().create(id, makeRecord());
      await store().touch(id, ctx.clock.now() - 1_000, ctx.clock.now());
      expect(await store().find(id)).toBeNull();
    });

    ctx.test(
      'a touched session stays in the per-user index past its original expiry',
      { requires: ['touch', 'userIndex'], timeout: expiryTimeout },
      async () => {
        const indexed = ctx.store as TouchableStore & UserIndexStore;
        const userId = randomUserId();
        const id = randomId();
        const record = makeRecord({ userId, expiresAt: ctx.clock.now() + expiryMs });
        await indexed.create(id, record);
        const expiresAt = ctx.clock.now() + 10 * expiryMs;
        expect(await indexed.touch(id, expiresAt, ctx.clock.now())).toBe(true);
        await ctx.clock.passInstant(record.expiresAt + clockSkewMs);
        const listed = await indexed.listByUser(userId);
        expect(listed.map((s) => s.id)).toEqual([id]);
        expect(listed[0]?.expiresAt).toBe(expiresAt);
      },
    );
  });
}
