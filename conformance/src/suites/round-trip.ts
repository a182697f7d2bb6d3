import fc from 'fast-check';
import { expect } from 'vitest';
import { expectBytes, expectLive, expectRecord } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import {
  allByteValues,
  makeRecord,
  makeUpdate,
  randomData,
  randomId,
  randomUserId,
} from '../fixtures.js';

const MIB = 1024 * 1024;

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
