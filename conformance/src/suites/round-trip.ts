import { type Store, type StoredSession, supports } from '@hallpass/core';
import fc from 'fast-check';
import { expect } from 'vitest';
import { expectBytes, expectLive, expectRecord } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import {
  allByteValues,
  collect,
  makeRecord,
  makeUpdate,
  randomData,
  randomId,
  randomUserId,
  textData,
} from '../fixtures.js';

const MIB = 1024 * 1024;

/** The session `id` (of `userId`) as each read path the store has returns it. */
function readPaths(
  store: Store,
  id: string,
  userId: string,
): Partial<Record<'find' | 'listByUser' | 'iterate', () => Promise<StoredSession | undefined>>> {
  return {
    find: async () => (await store.find(id)) ?? undefined,
    ...(supports(store, 'userIndex')
      ? { listByUser: async () => (await store.listByUser(userId)).find((s) => s.id === id) }
      : {}),
    ...(supports(store, 'iterate')
      ? { iterate: async () => (await collect(store.iterate())).find((s) => s.id === id) }
      : {}),
  };
}

/** Rule 1: bytes and record fields come back exactly as written. */
export function roundTripSuite(ctx: SuiteContext): void {
  ctx.group('round-trip', () => {
    const cases: Array<[string, () => Uint8Array]> = [
      ['empty data', () => new Uint8Array(0)],
      ['all 256 byte values', allByteValues],
      ['1 MiB of random bytes', () => randomData(MIB)],
      [
        'bytes that are not valid UTF-8 or contain NUL',
        () => Uint8Array.of(0, 0xc3, 0x28, 0, 0xff),
      ],
    ];
    for (const [label, make] of cases) {
      ctx.test(`create then find returns ${label} unchanged`, {}, async () => {
        const id = randomId();
        const record = makeRecord({ data: make() });
        const created = await ctx.store.create(id, record);
        expect(created.ok, 'create result').toBe(true);
        expectRecord(await ctx.store.find(id), { id, ...record });
      });
      ctx.test(`update then find returns ${label} unchanged`, {}, async () => {
        const id = randomId();
        const record = makeRecord();
        await ctx.store.create(id, record);
        const changes = makeUpdate({ data: make() });
        const updated = await ctx.store.update(id, changes);
        expect(updated.ok, 'update result').toBe(true);
        expectRecord(await ctx.store.find(id), { id, ...changes, createdAt: record.createdAt });
      });
    }

    // Drivers and the kit move bytes through fixed-size buffers (pools, slabs, packets, pages):
    // one byte either side of the usual sizes is where a copy gets cut short or runs over.
    ctx.test(
      'create then find returns data of sizes around buffer boundaries unchanged',
      {},
      async () => {
        for (const size of [1023, 1025, 4095, 4097, 8191, 8193, 16_385, 65_537]) {
          const id = randomId();
          const record = makeRecord({ data: randomData(size) });
          await ctx.store.create(id, record);
          expectRecord(await ctx.store.find(id), { id, ...record }, `${size} bytes`);
        }
      },
    );

    ctx.test(
      'returns every record field as written, for users and anonymous sessions',
      {},
      async () => {
        const base = ctx.clock.now();
        const records = [
          makeRecord({ userId: null, createdAt: base - 7_001, lastSeenAt: base - 13 }),
          makeRecord({ userId: randomUserId(), createdAt: base - 1, lastSeenAt: base + 17 }),
          makeRecord({ userId: `é-ユーザー-${randomUserId()}`, expiresAt: base + 86_400_000 + 3 }),
          makeRecord({ userId: 'u'.repeat(256), expiresAt: base + 30 * 86_400_000 + 7 }),
        ];
        for (const record of records) {
          const id = randomId();
          await ctx.store.create(id, record);
          expectRecord(await ctx.store.find(id), { id, ...record }, `userId ${record.userId}`);
        }
      },
    );

    ctx.test('create returns a version, and find returns a number version', {}, async () => {
      const id = randomId();
      const created = await ctx.store.create(id, makeRecord());
      if (!created.ok) throw new Error('create of a fresh id returned exists');
      expect(Number.isFinite(created.version), 'create result version').toBe(true);
      const found = expectLive(await ctx.store.find(id));
      if (ctx.store.capabilities.versioned) {
        expect(found.version, 'find version equals the version create returned').toBe(
          created.version,
        );
      }
    });

    ctx.test('accepts a Buffer (a Uint8Array subclass) as data', {}, async () => {
      const id = randomId();
      const data = Buffer.from('hallpass \u0000 buffer');
      await ctx.store.create(id, makeRecord({ data }));
      const found = expectLive(await ctx.store.find(id));
      expectBytes(found.data, new Uint8Array(data));
    });

    ctx.test(
      'accepts a Uint8Array view into a larger buffer, storing only the view',
      {},
      async () => {
        const id = randomId();
        const backing = randomData(64);
        const view = backing.subarray(10, 30);
        await ctx.store.create(id, makeRecord({ data: view }));
        expectBytes(expectLive(await ctx.store.find(id)).data, backing.slice(10, 30));
      },
    );

    ctx.test(
      'update accepts a Uint8Array view with an offset, storing only the view',
      {},
      async () => {
        const id = randomId();
        await ctx.store.create(id, makeRecord());
        const backing = randomData(64);
        const view = backing.subarray(7, 19);
        await ctx.store.update(id, makeUpdate({ data: view }));
        expectBytes(expectLive(await ctx.store.find(id)).data, backing.slice(7, 19));
        // A small Buffer is a view into Node's shared pool, at an offset few tests think of.
        const pooled = Buffer.from('pooled-bytes');
        await ctx.store.update(id, makeUpdate({ data: pooled.subarray(1) }));
        expectBytes(expectLive(await ctx.store.find(id)).data, textData('ooled-bytes'));
      },
    );

    ctx.test(
      'mutating the written buffer afterwards does not change what is stored',
      {},
      async () => {
        const id = randomId();
        const data = randomData(64);
        const original = data.slice();
        await ctx.store.create(id, makeRecord({ data }));
        data.fill(0xab);
        expectBytes(expectLive(await ctx.store.find(id)).data, original, 'after create');

        const changes = makeUpdate({ data: randomData(64) });
        const updated = changes.data.slice();
        await ctx.store.update(id, changes);
        changes.data.fill(0xcd);
        expectBytes(expectLive(await ctx.store.find(id)).data, updated, 'after update');
      },
    );

    ctx.test('mutating a returned buffer does not change what is stored', {}, async () => {
      const id = randomId();
      const data = randomData(64);
      await ctx.store.create(id, makeRecord({ data }));
      const first = expectLive(await ctx.store.find(id));
      first.data.fill(0xee);
      expectBytes(expectLive(await ctx.store.find(id)).data, data);
    });

    for (const path of ['find', 'listByUser', 'iterate'] as const) {
      ctx.test(
        `mutating what ${path} returned changes nothing stored (find, listByUser, iterate)`,
        { requires: path === 'find' ? [] : [path === 'iterate' ? 'iterate' : 'userIndex'] },
        async () => {
          const store = ctx.store;
          const id = randomId();
          const userId = randomUserId();
          const data = randomData(48);
          await store.create(id, makeRecord({ data, userId }));
          const reads = readPaths(store, id, userId);
          const returned = await reads[path]?.();
          if (!returned) throw new Error(`${path} did not return the session`);
          returned.data.fill(0xee);
          for (const [name, read] of Object.entries(reads)) {
            const again = await read();
            if (again)
              expectBytes(again.data, data, `${name} after mutating what ${path} returned`);
          }
        },
      );
    }

    ctx.test('round-trips arbitrary records (property-based)', {}, async () => {
      const now = ctx.clock.now();
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 4096 }),
          fc.option(fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme-ascii' }), {
            nil: null,
          }),
          fc.integer({ min: 60_000, max: 400 * 86_400_000 }),
          fc.integer({ min: 0, max: 400 * 86_400_000 }),
          fc.integer({ min: -60_000, max: 60_000 }),
          async (data, userId, ttl, age, seenOffset) => {
            const id = randomId();
            const record = {
              data,
              userId,
              expiresAt: now + ttl,
              createdAt: now - age,
              lastSeenAt: now + seenOffset,
            };
            const created = await ctx.store.create(id, record);
            expect(created.ok).toBe(true);
            expectRecord(await ctx.store.find(id), { id, ...record });
            await ctx.store.delete(id);
          },
        ),
        { numRuns: 40 },
      );
    });
  });
}
