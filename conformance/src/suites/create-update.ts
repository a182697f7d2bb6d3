import type { UserIndexStore } from '@hallpass/core';
import { expect } from 'vitest';
import { beforeDeadline, expectBytes, expectLive, expectRecord } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomData, randomId, randomUserId } from '../fixtures.js';

/** Rule 2: create never overwrites a live session, update never resurrects a dead one. */
export function createUpdateSuite(ctx: SuiteContext): void {
  const { expiryMs, clockSkewMs, testTimeoutMs } = ctx.timing;
  const expiryTimeout = testTimeoutMs + ctx.sleeping(4 * expiryMs);

  ctx.group('create and update', () => {
    ctx.test(
      'create on a live id returns exists and leaves the session unchanged',
      {},
      async () => {
        const id = randomId();
        const first = makeRecord({ userId: randomUserId() });
        await ctx.store.create(id, first);
        const second = await ctx.store.create(id, makeRecord());
        expect(second).toEqual({ ok: false, reason: 'exists' });
        expectRecord(await ctx.store.find(id), { id, ...first });
      },
    );

    ctx.test('concurrent creates of one id: exactly one wins', {}, async () => {
      const id = randomId();
      const records = Array.from({ length: 20 }, () => makeRecord());
      const results = await Promise.all(records.map((record) => ctx.store.create(id, record)));
      const winners = results.flatMap((result, i) => (result.ok ? [i] : []));
      expect(winners, 'number of creates that succeeded').toHaveLength(1);
      for (const result of results) {
        if (!result.ok) expect(result.reason).toBe('exists');
      }
      const winner = records[winners[0] as number]!;
      expectBytes(
        expectLive(await ctx.store.find(id)).data,
        winner.data,
        'stored data is the winner',
      );
    });

    ctx.test(
      'create on an id whose session expired succeeds (a dead session does not block its id)',
      { timeout: expiryTimeout },
      async () => {
        const id = randomId();
        const expiresAt = ctx.clock.now() + expiryMs;
        await ctx.store.create(id, makeRecord({ expiresAt }));
        const before = await ctx.store.find(id);
        expectLive(before, beforeDeadline('before expiry', expiresAt, ctx.clock.now()));
        await ctx.clock.passInstant(expiresAt + clockSkewMs);
        const fresh = makeRecord();
        expect((await ctx.store.create(id, fresh)).ok, 'create after expiry').toBe(true);
        expectRecord(await ctx.store.find(id), { id, ...fresh });
      },
    );

    ctx.test('create on a deleted id succeeds', {}, async () => {
      const id = randomId();
      await ctx.store.create(id, makeRecord());
      await ctx.store.delete(id);
      const fresh = makeRecord();
      expect((await ctx.store.create(id, fresh)).ok).toBe(true);
      expectRecord(await ctx.store.find(id), { id, ...fresh });
    });

    ctx.test('update of a never-created id returns missing and creates nothing', {}, async () => {
      const id = randomId();
      expect(await ctx.store.update(id, makeUpdate())).toEqual({ ok: false, reason: 'missing' });
      expect(await ctx.store.find(id)).toBeNull();
    });

    ctx.test(
      'update of an expired session returns missing and does not recreate it',
      { timeout: expiryTimeout },
      async () => {
        const id = randomId();
        const expiresAt = ctx.clock.now() + expiryMs;
        await ctx.store.create(id, makeRecord({ expiresAt }));
        const before = await ctx.store.find(id);
        expectLive(before, beforeDeadline('before expiry', expiresAt, ctx.clock.now()));
        await ctx.clock.passInstant(expiresAt + clockSkewMs);
        expect(await ctx.store.update(id, makeUpdate())).toEqual({ ok: false, reason: 'missing' });
        expect(await ctx.store.find(id)).toBeNull();
      },
    );

    ctx.test(
      'update of a deleted session returns missing and does not recreate it',
      {},
      async () => {
        const id = randomId();
        await ctx.store.create(id, makeRecord());
        await ctx.store.delete(id);
        expect(await ctx.store.update(id, makeUpdate())).toEqual({ ok: false, reason: 'missing' });
        expect(await ctx.store.find(id)).toBeNull();
      },
    );

    ctx.test(
      'update of a revoked session (deleteByUser) returns missing and does not recreate it',
      { requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        const id = randomId();
        const userId = randomUserId();
        await store.create(id, makeRecord({ userId }));
        expect(await store.deleteByUser(userId)).toBe(1);
        expect(await store.update(id, makeUpdate({ userId }))).toEqual({
          ok: false,
          reason: 'missing',
        });
        expect(await store.find(id)).toBeNull();
        expect(await store.listByUser(userId)).toEqual([]);
      },
    );

    ctx.test(
      'update replaces data, expiry, user and last-seen but keeps createdAt',
      {},
      async () => {
        const id = randomId();
        const record = makeRecord({ createdAt: ctx.clock.now() - 123_457 });
        await ctx.store.create(id, record);
        const steps = [
          makeUpdate({ userId: randomUserId() }),
          makeUpdate({ userId: randomUserId(), data: new Uint8Array(0) }),
          makeUpdate({ userId: null, expiresAt: ctx.clock.now() + 60_001 }),
        ];
        for (const [i, changes] of steps.entries()) {
          const result = await ctx.store.update(id, changes);
          expect(result.ok, `update ${i}`).toBe(true);
          expectRecord(
            await ctx.store.find(id),
            { id, ...changes, createdAt: record.createdAt },
            `after update ${i}`,
          );
        }
      },
    );

    ctx.test(
      'update without expectedVersion applies unconditionally (last write wins)',
      {},
      async () => {
        const id = randomId();
        await ctx.store.create(id, makeRecord());
        const first = makeUpdate();
        const second = makeUpdate();
        expect((await ctx.store.update(id, first)).ok).toBe(true);
        expect((await ctx.store.update(id, second)).ok).toBe(true);
        expectBytes(expectLive(await ctx.store.find(id)).data, second.data);
      },
    );

    ctx.test(
      'a store without compare-and-set ignores expectedVersion',
      { without: ['versioned'] },
      async () => {
        const id = randomId();
        await ctx.store.create(id, makeRecord());
        const found = expectLive(await ctx.store.find(id));
        const changes = makeUpdate({ data: randomData(8) });
        const result = await ctx.store.update(id, changes, { expectedVersion: found.version + 1 });
        expect(result.ok, 'update with a wrong expectedVersion on an unversioned store').toBe(true);
        expectBytes(expectLive(await ctx.store.find(id)).data, changes.data);
      },
    );
  });
}
