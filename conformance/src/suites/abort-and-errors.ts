import {
  InvalidInputError,
  type IterableStore,
  type SessionRecord,
  type SessionUpdate,
  type Store,
  StoreAbortedError,
  type TouchableStore,
  type UserIndexStore,
} from '@hallpass/core';
import { expect } from 'vitest';
import { expectBytes, expectLive, expectRecord, expectRejection } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId, randomUserId, sleep } from '../fixtures.js';

function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort(new Error('aborted by the conformance suite'));
  return controller.signal;
}

/** Ids every store must refuse (the shape rule of assertValidId: 1-128 of [A-Za-z0-9_-]). */
const INVALID_IDS: ReadonlyArray<[string, unknown]> = [
  ['empty', ''],
  ['with a space', 'a b'],
  ['129 characters', 'x'.repeat(129)],
  ['300 characters', 'x'.repeat(300)],
  ['with a slash', 'abc/def'],
  ['with a colon (key-prefix injection)', 'sess:abc'],
  ['with a wildcard', 'abc*'],
  ['non-ASCII', 'sessión'],
  ['with a newline', 'abc\n'],
  ['a number', 12345],
  ['null', null],
  ['undefined', undefined],
];

const INVALID_DATA: ReadonlyArray<[string, unknown]> = [
  ['a string', 'bytes'],
  ['an array of numbers', [1, 2, 3]],
  ['null', null],
  ['undefined', undefined],
  ['an ArrayBuffer', new ArrayBuffer(4)],
  ['a DataView', new DataView(new ArrayBuffer(4))],
  ['an array-like object', { length: 0 }],
];

const INVALID_TIMES: ReadonlyArray<[string, unknown]> = [
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['a numeric string', String(Date.now() + 60_000)],
  ['null', null],
  // Finite, but no Date can hold them: backends disagree on what they do with such a time.
  ['after the latest instant a Date can hold', 8.64e15 + 1],
  ['before the earliest instant a Date can hold', -8.64e15 - 1],
];

const INVALID_USER_IDS: ReadonlyArray<[string, unknown]> = [
  ['empty', ''],
  ['257 characters', 'u'.repeat(257)],
  ['a number', 42],
];

/** Page sizes every store must refuse: iterate takes a positive integer or nothing. */
const INVALID_PAGE_SIZES: ReadonlyArray<[string, unknown]> = [
  ['0', 0],
  ['negative', -1],
  ['fractional', 1.5],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['a numeric string', '10'],
];

/** Rule 6: cancellation, input validation, error classes, idempotent delete. */
export function abortAndErrorsSuite(ctx: SuiteContext): void {
  const { expiryMs, clockSkewMs, testTimeoutMs } = ctx.timing;

  ctx.group('abort signal', () => {
    ctx.test('find with an aborted signal rejects with StoreAbortedError', {}, async () => {
      const id = randomId();
      await ctx.store.create(id, makeRecord());
      await expectRejection(
        () => ctx.store.find(id, { signal: abortedSignal() }),
        StoreAbortedError,
        'find',
      );
    });

    ctx.test('create with an aborted signal rejects and writes nothing', {}, async () => {
      const id = randomId();
      await expectRejection(
        () => ctx.store.create(id, makeRecord(), { signal: abortedSignal() }),
        StoreAbortedError,
        'create',
      );
      expect(await ctx.store.find(id)).toBeNull();
    });

    ctx.test('update with an aborted signal rejects and writes nothing', {}, async () => {
      const id = randomId();
      const record = makeRecord();
      await ctx.store.create(id, record);
      await expectRejection(
        () => ctx.store.update(id, makeUpdate(), { signal: abortedSignal() }),
        StoreAbortedError,
        'update',
      );
      expectRecord(await ctx.store.find(id), { id, ...record });
    });

    ctx.test('delete with an aborted signal rejects and deletes nothing', {}, async () => {
      const id = randomId();
      const record = makeRecord();
      await ctx.store.create(id, record);
      await expectRejection(
        () => ctx.store.delete(id, { signal: abortedSignal() }),
        StoreAbortedError,
        'delete',
      );
      expectRecord(await ctx.store.find(id), { id, ...record });
    });

    ctx.test(
      'touch with an aborted signal rejects and changes nothing',
      { requires: ['touch'] },
      async () => {
        const store = ctx.store as TouchableStore;
        const id = randomId();
        const record = makeRecord();
        await store.create(id, record);
        await expectRejection(
          () =>
            store.touch(id, ctx.clock.now() + 120_000, ctx.clock.now(), {
              signal: abortedSignal(),
            }),
          StoreAbortedError,
          'touch',
        );
        expectRecord(await store.find(id), { id, ...record });
      },
    );

    ctx.test(
      'iterate with an aborted signal rejects with StoreAbortedError',
      { requires: ['iterate'] },
      async () => {
        const store = ctx.store as IterableStore;
        await store.create(randomId(), makeRecord());
        await expectRejection(
          () => store.iterate({ signal: abortedSignal() }),
          StoreAbortedError,
          'iterate',
        );
      },
    );

    ctx.test(
      'iterate with an aborted signal rejects even when there is nothing to yield',
      { requires: ['iterate'] },
      async () => {
        const store = ctx.store as IterableStore;
        const aborted = abortedSignal();
        // Consume the iteration fully: a store must not yield, and must reject.
        await expectRejection(
          () => store.iterate({ signal: aborted, pageSize: 1_000_000 }),
          StoreAbortedError,
          'iterate',
        );
      },
    );

    ctx.test(
      'listByUser and deleteByUser with an aborted signal reject and remove nothing',
      { requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        const userId = randomUserId();
        const id = randomId();
        await store.create(id, makeRecord({ userId }));
        await expectRejection(
          () => store.listByUser(userId, { signal: abortedSignal() }),
          StoreAbortedError,
          'listByUser',
        );
        await expectRejection(
          () => store.deleteByUser(userId, { signal: abortedSignal() }),
          StoreAbortedError,
          'deleteByUser',
        );
        expectLive(await store.find(id), 'session after an aborted deleteByUser');
      },
    );

    ctx.test(
      'aborting while a write is in flight leaves it fully applied or not at all',
      { timeout: testTimeoutMs * 2 },
      async () => {
        for (let round = 0; round < 20; round++) {
          const id = randomId();
          const record = makeRecord();
          await ctx.store.create(id, record);
          const changes = makeUpdate();
          const controller = new AbortController();
          const pending = ctx.store.update(id, changes, { signal: controller.signal });
          // Abort at different points of the call: synchronously, after microtasks, after I/O.
          if (round % 3 === 1) await Promise.resolve();
          if (round % 3 === 2) await sleep(0);
          controller.abort();
          let applied: boolean;
          try {
            applied = (await pending).ok;
          } catch (error) {
            if (!(error instanceof StoreAbortedError)) throw error;
            applied = false;
          }
          const found = expectLive(await ctx.store.find(id), `round ${round}`);
          const wrote = found.expiresAt === changes.expiresAt;
          if (applied)
            expect(wrote, `round ${round}: update resolved but was not applied`).toBe(true);
          const expected = wrote ? { ...changes, createdAt: record.createdAt } : record;
          expectRecord(found, { id, ...expected }, `round ${round}: half-written session`);
        }
      },
    );
  });

  ctx.group('errors and input validation', () => {
    const invalidIdCalls: Array<[string, (store: Store, id: string) => Promise<unknown>, TestReq]> =
      [
        ['find', (store, id) => store.find(id), {}],
        ['create', (store, id) => store.create(id, makeRecord()), {}],
        ['update', (store, id) => store.update(id, makeUpdate()), {}],
        ['delete', (store, id) => store.delete(id), {}],
        [
          'touch',
          (store, id) =>
            (store as TouchableStore).touch(id, ctx.clock.now() + 60_000, ctx.clock.now()),
          { requires: ['touch'] },
        ],
      ];
    for (const [method, call, req] of invalidIdCalls) {
      ctx.test(`${method} rejects malformed ids with InvalidInputError`, req, async () => {
        for (const [label, id] of INVALID_IDS) {
          await expectRejection(
            () => call(ctx.store, id as string),
            InvalidInputError,
            `${method} with an id ${label}`,
          );
        }
      });
    }

    ctx.test('accepts ids of 1 and 128 characters of [A-Za-z0-9_-]', {}, async () => {
      for (const id of ['a', `${'A-z_9'.repeat(25)}abc`, randomId()]) {
        const record = makeRecord();
        expect((await ctx.store.create(id, record)).ok, `create ${id}`).toBe(true);
        expectRecord(await ctx.store.find(id), { id, ...record });
        await ctx.store.delete(id);
      }
    });

    ctx.test(
      'create and update reject data that is not a Uint8Array, writing nothing',
      {},
      async () => {
        const live = randomId();
        const record = makeRecord();
        await ctx.store.create(live, record);
        for (const [label, data] of INVALID_DATA) {
          const id = randomId();
          await expectRejection(
            () => ctx.store.create(id, { ...makeRecord(), data: data as Uint8Array }),
            InvalidInputError,
            `create with data ${label}`,
          );
          expect(await ctx.store.find(id), `after create with data ${label}`).toBeNull();
          await expectRejection(
            () => ctx.store.update(live, { ...makeUpdate(), data: data as Uint8Array }),
            InvalidInputError,
            `update with data ${label}`,
          );
        }
        expectRecord(await ctx.store.find(live), { id: live, ...record }, 'after rejected updates');
      },
    );

    for (const field of ['expiresAt', 'createdAt', 'lastSeenAt'] as const) {
      ctx.test(`create and update reject a non-finite ${field}, writing nothing`, {}, async () => {
        const live = randomId();
        const record = makeRecord();
        await ctx.store.create(live, record);
        for (const [label, value] of INVALID_TIMES) {
          const id = randomId();
          const bad = { ...makeRecord(), [field]: value } as SessionRecord;
          await expectRejection(
            () => ctx.store.create(id, bad),
            InvalidInputError,
            `create with ${field} ${label}`,
          );
          expect(await ctx.store.find(id), `after create with ${field} ${label}`).toBeNull();
          if (field !== 'createdAt') {
            const badUpdate = { ...makeUpdate(), [field]: value } as SessionUpdate;
            await expectRejection(
              () => ctx.store.update(live, badUpdate),
              InvalidInputError,
              `update with ${field} ${label}`,
            );
          }
        }
        expectRecord(await ctx.store.find(live), { id: live, ...record }, 'after rejected updates');
      });
    }

    ctx.test('create and update reject a malformed userId, writing nothing', {}, async () => {
      const live = randomId();
      const record = makeRecord();
      await ctx.store.create(live, record);
      for (const [label, userId] of INVALID_USER_IDS) {
        const id = randomId();
        await expectRejection(
          () => ctx.store.create(id, makeRecord({ userId: userId as string })),
          InvalidInputError,
          `create with userId ${label}`,
        );
        expect(await ctx.store.find(id)).toBeNull();
        await expectRejection(
          () => ctx.store.update(live, makeUpdate({ userId: userId as string })),
          InvalidInputError,
          `update with userId ${label}`,
        );
      }
      expectRecord(await ctx.store.find(live), { id: live, ...record }, 'after rejected updates');
    });

    ctx.test(
      'touch rejects a non-finite expiresAt or lastSeenAt, changing nothing',
      { requires: ['touch'] },
      async () => {
        const store = ctx.store as TouchableStore;
        const id = randomId();
        const record = makeRecord();
        await store.create(id, record);
        for (const [label, value] of INVALID_TIMES) {
          await expectRejection(
            () => store.touch(id, value as number, ctx.clock.now()),
            InvalidInputError,
            `touch with expiresAt ${label}`,
          );
          await expectRejection(
            () => store.touch(id, ctx.clock.now() + 60_000, value as number),
            InvalidInputError,
            `touch with lastSeenAt ${label}`,
          );
        }
        expectRecord(await store.find(id), { id, ...record }, 'after rejected touches');
      },
    );

    ctx.test(
      'listByUser and deleteByUser reject a malformed user id',
      { requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        for (const [label, userId] of INVALID_USER_IDS) {
          await expectRejection(
            () => store.listByUser(userId as string),
            InvalidInputError,
            `listByUser with ${label}`,
          );
          await expectRejection(
            () => store.deleteByUser(userId as string),
            InvalidInputError,
            `deleteByUser with ${label}`,
          );
        }
      },
    );

    ctx.test(
      'iterate rejects a pageSize that is not a positive integer',
      { requires: ['iterate'] },
      async () => {
        const store = ctx.store as IterableStore;
        // A session to yield: a store that only checks pageSize once it pages must still refuse.
        await store.create(randomId(), makeRecord());
        for (const [label, pageSize] of INVALID_PAGE_SIZES) {
          await expectRejection(
            () => store.iterate({ pageSize: pageSize as number }),
            InvalidInputError,
            `iterate with pageSize ${label}`,
          );
        }
      },
    );

    ctx.test(
      'deleteByUser rejects a malformed except, removing nothing',
      { requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        const userId = randomUserId();
        const id = randomId();
        const record = makeRecord({ userId });
        await store.create(id, record);
        // An except that can never match a session id must not turn into "revoke them all".
        for (const [label, except] of INVALID_IDS) {
          if (except === undefined) continue;
          await expectRejection(
            () => store.deleteByUser(userId, { except: except as string }),
            InvalidInputError,
            `deleteByUser with an except ${label}`,
          );
        }
        expectRecord(await store.find(id), { id, ...record }, 'after rejected deleteByUser calls');
      },
    );

    ctx.test('delete of a never-created id resolves', {}, async () => {
      const id = randomId();
      await expect(ctx.store.delete(id)).resolves.toBeUndefined();
      expect(await ctx.store.find(id)).toBeNull();
    });

    ctx.test('delete is idempotent: deleting twice resolves both times', {}, async () => {
      const id = randomId();
      await ctx.store.create(id, makeRecord());
      await ctx.store.delete(id);
      await expect(ctx.store.delete(id)).resolves.toBeUndefined();
      expect(await ctx.store.find(id)).toBeNull();
    });

    ctx.test(
      'delete of an expired session resolves',
      { timeout: testTimeoutMs + ctx.sleeping(4 * expiryMs) },
      async () => {
        const id = randomId();
        const expiresAt = ctx.clock.now() + expiryMs;
        await ctx.store.create(id, makeRecord({ expiresAt }));
        await ctx.clock.passInstant(expiresAt + clockSkewMs);
        await expect(ctx.store.delete(id)).resolves.toBeUndefined();
        expect(await ctx.store.find(id)).toBeNull();
      },
    );

    ctx.test('concurrent deletes of one session all resolve', {}, async () => {
      const id = randomId();
      await ctx.store.create(id, makeRecord());
      await Promise.all(Array.from({ length: 10 }, () => ctx.store.delete(id)));
      expect(await ctx.store.find(id)).toBeNull();
    });

    // 8 MiB through a loaded two-core machine (and through the MongoDB wire test server, in
    // JavaScript) took over 10 s: the test checks what lands, so its deadline must not be a
    // speed limit.
    ctx.test(
      'data larger than a store limit never lands half-written',
      { timeout: ctx.timing.testTimeoutMs * 6 },
      async () => {
        // Stores may cap data (RecordTooLargeError, an InvalidInputError); 8 MiB either
        // round-trips exactly or is refused with that error and leaves nothing behind.
        const id = randomId();
        const data = new Uint8Array(8 * 1024 * 1024).fill(7);
        let refused = false;
        try {
          await ctx.store.create(id, makeRecord({ data }));
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          refused = true;
        }
        const found = await ctx.store.find(id);
        if (refused) expect(found, 'refused create').toBeNull();
        else expectBytes(expectLive(found).data, data);
      },
    );
  });
}

type TestReq = { requires?: Array<'touch' | 'iterate' | 'userIndex' | 'versioned'> };
