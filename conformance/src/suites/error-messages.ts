import {
  InvalidInputError,
  type IterableStore,
  type SessionRecord,
  type Store,
  StoreUnavailableError,
  supports,
  type TouchableStore,
  type UpdateOptions,
  type UserIndexStore,
} from '@hallpass/core';
import { expect, type TestContext } from 'vitest';
import { expectRejection } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId, randomUserId } from '../fixtures.js';

type Call = () => Promise<unknown> | AsyncIterable<unknown>;

/** Refused with InvalidInputError, and the message mentions what was wrong (`pattern`). */
async function expectNamed(call: Call, pattern: RegExp, what: string): Promise<void> {
  const error = await expectRejection(call, InvalidInputError, what);
  expect(
    pattern.test(error.message),
    `${what}: the message names what was wrong (${pattern}): ${JSON.stringify(error.message)}`,
  ).toBe(true);
}

const ID = /\bid\b/i;
const USER_ID = /\buser ?id\b/i;

/**
 * Rule 6, errors say what was wrong and where. An InvalidInputError names the argument or field
 * it refuses (`expiresAt`, `pageSize`, the id), so the caller fixes the right value without
 * reading the store's source; a StoreUnavailableError starts with the store's name and names the
 * call, so a log line from an application with several stores points at the one that failed.
 * The error classes and `code` stay what callers match on; these are for the people reading.
 */
export function errorMessagesSuite(ctx: SuiteContext): void {
  const storeName = ctx.options.storeName ?? ctx.name;
  const now = () => ctx.clock.now();

  ctx.group('error messages', () => {
    ctx.test('a malformed session id is refused with a message naming the id', {}, async () => {
      const store = ctx.store;
      const bad = 'not an id';
      await expectNamed(() => store.find(bad), ID, 'find');
      await expectNamed(() => store.create(bad, makeRecord()), ID, 'create');
      await expectNamed(() => store.update(bad, makeUpdate()), ID, 'update');
      await expectNamed(() => store.delete(bad), ID, 'delete');
      if (supports(store, 'touch')) {
        const touchable = store as TouchableStore;
        await expectNamed(() => touchable.touch(bad, now() + 60_000, now()), ID, 'touch');
      }
    });

    ctx.test('data that is not bytes is refused with a message naming the data', {}, async () => {
      const data = 'text' as unknown as Uint8Array;
      await expectNamed(
        () => ctx.store.create(randomId(), { ...makeRecord(), data }),
        /\bdata\b/i,
        'create',
      );
      await expectNamed(
        () => ctx.store.update(randomId(), { ...makeUpdate(), data }),
        /\bdata\b/i,
        'update',
      );
    });

    for (const field of ['expiresAt', 'createdAt', 'lastSeenAt'] as const) {
      ctx.test(`an invalid ${field} is refused with a message naming ${field}`, {}, async () => {
        const named = new RegExp(`\\b${field}\\b`);
        const bad = { ...makeRecord(), [field]: Number.NaN } as SessionRecord;
        await expectNamed(
          () => ctx.store.create(randomId(), bad),
          named,
          `create with ${field} NaN`,
        );
        if (field !== 'createdAt') {
          const badUpdate = { ...makeUpdate(), [field]: Number.NaN };
          await expectNamed(
            () => ctx.store.update(randomId(), badUpdate),
            named,
            `update with ${field} NaN`,
          );
        }
      });
    }

    ctx.test(
      'an invalid touch time is refused with a message naming expiresAt or lastSeenAt',
      { requires: ['touch'] },
      async () => {
        const store = ctx.store as TouchableStore;
        const id = randomId();
        await expectNamed(
          () => store.touch(id, Number.NaN, now()),
          /\bexpiresAt\b/,
          'touch with expiresAt NaN',
        );
        await expectNamed(
          () => store.touch(id, now() + 60_000, Number.NaN),
          /\blastSeenAt\b/,
          'touch with lastSeenAt NaN',
        );
      },
    );

    ctx.test('a malformed user id is refused with a message naming the user id', {}, async () => {
      const store = ctx.store;
      await expectNamed(
        () => store.create(randomId(), makeRecord({ userId: '' })),
        USER_ID,
        'create',
      );
      await expectNamed(
        () => store.update(randomId(), makeUpdate({ userId: '' })),
        USER_ID,
        'update',
      );
    });

    ctx.test(
      'a malformed user id in listByUser and deleteByUser is refused with a message naming the user id',
      { requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        await expectNamed(() => store.listByUser(''), USER_ID, 'listByUser');
        await expectNamed(() => store.deleteByUser(''), USER_ID, 'deleteByUser');
      },
    );

    ctx.test(
      'an invalid pageSize is refused with a message naming pageSize',
      { requires: ['iterate'] },
      async () => {
        const store = ctx.store as IterableStore;
        await expectNamed(
          () => store.iterate({ pageSize: 0 }),
          /\bpageSize\b/,
          'iterate with pageSize 0',
        );
      },
    );

    ctx.test(
      'an invalid expectedVersion is refused with a message naming expectedVersion',
      { requires: ['versioned'] },
      async () => {
        const options = { expectedVersion: Number.NaN } as UpdateOptions;
        await expectNamed(
          () => ctx.store.update(randomId(), makeUpdate(), options),
          /\bexpectedVersion\b/,
          'update with expectedVersion NaN',
        );
      },
    );

    ctx.test('an invalid batchSize is refused with a message naming batchSize', {}, async (t) => {
      const cleanup = ctx.store as Store & {
        deleteExpired?: (options?: { batchSize?: number }) => Promise<number>;
      };
      if (typeof cleanup.deleteExpired !== 'function') {
        t.skip('the store has no deleteExpired() (an on-demand cleanup is optional)');
      }
      await expectNamed(
        () => cleanup.deleteExpired!({ batchSize: 0 }),
        /\bbatchSize\b/,
        'deleteExpired with batchSize 0',
      );
    });

    ctx.test(
      'a method of a capability the store does not declare rejects with InvalidInputError naming it',
      {},
      async (t: TestContext) => {
        // A store may carry the methods of a capability it does not declare (a base class has
        // them all). Called anyway, they must refuse: an empty listByUser or a deleteByUser
        // that revokes nothing would turn "sign out everywhere" into a silent no-op.
        const store = ctx.store as Partial<IterableStore & UserIndexStore & TouchableStore> & Store;
        const userId = randomUserId();
        const calls: Array<[string, Call | undefined]> = [];
        if (!store.capabilities.iterate) {
          calls.push(['iterate', store.iterate && (() => store.iterate!())]);
        }
        if (!store.capabilities.userIndex) {
          calls.push(['listByUser', store.listByUser && (() => store.listByUser!(userId))]);
          calls.push(['deleteByUser', store.deleteByUser && (() => store.deleteByUser!(userId))]);
        }
        if (!store.capabilities.touch) {
          calls.push([
            'touch',
            store.touch && (() => store.touch!(randomId(), now() + 60_000, now())),
          ]);
        }
        const present = calls.filter((entry): entry is [string, Call] => entry[1] !== undefined);
        if (present.length === 0) {
          t.skip('the store has no method of a capability it does not declare');
        }
        for (const [method, call] of present) {
          await expectNamed(
            call,
            new RegExp(`\\b${method}\\b`),
            `${method} without the capability`,
          );
        }
      },
    );

    ctx.test(
      "a closed store's StoreUnavailableError starts with the store's name and names the call",
      {},
      async (t: TestContext) => {
        const store = await ctx.freshStore();
        if (typeof store.close !== 'function') t.skip('the store has no close() (it is optional)');
        await store.close!();
        const userId = randomUserId();
        const calls: Array<[string, Call]> = [
          ['find', () => store.find(randomId())],
          ['create', () => store.create(randomId(), makeRecord())],
          ['update', () => store.update(randomId(), makeUpdate())],
          ['delete', () => store.delete(randomId())],
        ];
        if (supports(store, 'touch')) {
          const touchable = store as TouchableStore;
          calls.push(['touch', () => touchable.touch(randomId(), now() + 60_000, now())]);
        }
        if (supports(store, 'iterate')) {
          calls.push(['iterate', () => (store as IterableStore).iterate()]);
        }
        if (supports(store, 'userIndex')) {
          const indexed = store as UserIndexStore;
          calls.push(['listByUser', () => indexed.listByUser(userId)]);
          calls.push(['deleteByUser', () => indexed.deleteByUser(userId)]);
        }
        for (const [operation, call] of calls) {
          const error = await expectRejection(
            call,
            StoreUnavailableError,
            `${operation} after close()`,
          );
          expect(
            error.message.startsWith(storeName),
            `${operation} after close(): the message starts with the store's name ${JSON.stringify(storeName)} (describeStore's storeName option): ${JSON.stringify(error.message)}`,
          ).toBe(true);
          expect(
            new RegExp(`\\b${operation}\\b`).test(error.message),
            `${operation} after close(): the message names the call: ${JSON.stringify(error.message)}`,
          ).toBe(true);
        }
      },
    );
  });
}
