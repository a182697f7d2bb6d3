import {
  type IterableStore,
  type Store,
  StoreUnavailableError,
  type TouchableStore,
  type UserIndexStore,
} from '@hallpass/core';
import { expect, type TestContext } from 'vitest';
import { expectRejection } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId, randomUserId } from '../fixtures.js';
import type { Capability } from '../types.js';

const DEFAULT_WITHIN_MS = 5_000;

/** The on-demand cleanup every BaseStore store has (for cron jobs); not part of the Store type. */
interface ExpiredCleanup {
  deleteExpired(options?: { batchSize?: number }): Promise<number>;
}

type Call = (store: Store, now: number) => Promise<unknown> | AsyncIterable<unknown>;

/** A mention of the operation as a word: `delete` is not found in `deleteByUser`. */
function namesOperation(message: string, operation: string): boolean {
  return new RegExp(`\\b${operation}\\b`).test(message);
}

/**
 * Rule 6, a backend that is down: a store whose backend is down answers every call with StoreUnavailableError, a
 * StoreError the caller can handle (a 503, a retry), never with the driver's own error, a crash
 * or a call that never settles. The driver's error stays reachable as `cause` for the logs, and
 * the message says which store and which call failed. close() still resolves: a shutdown must
 * not hang on a backend that is gone.
 */
export function backendUnavailableSuite(ctx: SuiteContext): void {
  const withinMs = ctx.options.unavailable?.withinMs ?? DEFAULT_WITHIN_MS;
  const storeName = ctx.options.storeName ?? ctx.name;
  // Every call in a test may take up to withinMs, plus opening and closing the store.
  const timeout = (calls: number) => ctx.timing.testTimeoutMs + (calls + 1) * withinMs;

  const unavailableStore = async (): Promise<Store> => {
    const factory = ctx.options.unavailable?.factory;
    if (!factory) throw new Error('no unavailable option was given to describeStore');
    const store = await factory({ clock: ctx.clock.now });
    ctx.closeAfterTest(store);
    return store;
  };

  /** Runs `call` on the down store; it must reject in time with a StoreUnavailableError that says enough. */
  const expectUnavailable = async (
    store: Store,
    operation: string,
    what: string,
    call: Call,
  ): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `${what}: still pending after ${withinMs} ms on a store whose backend is down (it must reject, not hang)`,
            ),
          ),
        withinMs,
      );
    });
    let error: StoreUnavailableError;
    try {
      error = await Promise.race([
        expectRejection(() => call(store, ctx.clock.now()), StoreUnavailableError, what),
        hang,
      ]);
    } finally {
      clearTimeout(timer);
    }
    expect(error.cause, `${what}: the driver's error as cause`).toBeDefined();
    expect(error.cause, `${what}: the driver's error as cause`).not.toBe(error);
    expect(
      error.message.startsWith(storeName),
      `${what}: the message starts with the store's name ${JSON.stringify(storeName)} (describeStore's storeName option): ${JSON.stringify(error.message)}`,
    ).toBe(true);
    expect(
      namesOperation(error.message, operation),
      `${what}: the message names the call ${JSON.stringify(operation)}: ${JSON.stringify(error.message)}`,
    ).toBe(true);
  };

  const cases: Array<[string, Capability | undefined, Array<[string, Call]>]> = [
    ['find', undefined, [['find', (store) => store.find(randomId())]]],
    [
      'create',
      undefined,
      [
        ['create', (store) => store.create(randomId(), makeRecord())],
        // Persists nothing, but must still ask the backend whether a live session holds the id.
        [
          'create whose expiresAt has passed',
          (store, now) => store.create(randomId(), makeRecord({ expiresAt: now - 1000 })),
        ],
      ],
    ],
    [
      'update',
      undefined,
      [
        ['update', (store) => store.update(randomId(), makeUpdate())],
        [
          'update with expectedVersion',
          (store) => store.update(randomId(), makeUpdate(), { expectedVersion: 1 }),
        ],
        [
          'update that ends the session',
          (store, now) => store.update(randomId(), makeUpdate({ expiresAt: now - 1000 })),
        ],
      ],
    ],
    [
      'touch',
      'touch',
      [
        ['touch', (store, now) => (store as TouchableStore).touch(randomId(), now + 60_000, now)],
        [
          'touch that ends the session',
          (store, now) => (store as TouchableStore).touch(randomId(), now - 1000, now),
        ],
      ],
    ],
    ['delete', undefined, [['delete', (store) => store.delete(randomId())]]],
    ['iterate', 'iterate', [['iterate', (store) => (store as IterableStore).iterate()]]],
    [
      'listByUser',
      'userIndex',
      [['listByUser', (store) => (store as UserIndexStore).listByUser(randomUserId())]],
    ],
    [
      'deleteByUser',
      'userIndex',
      [
        ['deleteByUser', (store) => (store as UserIndexStore).deleteByUser(randomUserId())],
        [
          'deleteByUser with except',
          (store) => (store as UserIndexStore).deleteByUser(randomUserId(), { except: randomId() }),
        ],
      ],
    ],
  ];

  ctx.group('backend unavailable', () => {
    for (const [operation, capability, calls] of cases) {
      ctx.test(
        `${operation} rejects with StoreUnavailableError naming the store and the call, the driver's error as cause`,
        {
          unavailable: true,
          ...(capability && { requires: [capability] }),
          timeout: timeout(calls.length),
        },
        async () => {
          const store = await unavailableStore();
          for (const [what, call] of calls) await expectUnavailable(store, operation, what, call);
        },
      );
    }

    ctx.test(
      'deleteExpired rejects with StoreUnavailableError (or returns 0 on a backend with native expiry)',
      { unavailable: true, timeout: timeout(1) },
      async (t: TestContext) => {
        const store = await unavailableStore();
        const cleanup = store as Partial<ExpiredCleanup>;
        if (typeof cleanup.deleteExpired !== 'function') {
          t.skip('the store has no deleteExpired() (an on-demand cleanup is optional)');
        }
        // A backend that deletes expired entries itself may leave the call nothing to do.
        const native = ctx.options.inspect ? (await ctx.inspector()).nativeExpiry : false;
        if (native) {
          let timer: NodeJS.Timeout | undefined;
          const removed = await Promise.race([
            cleanup.deleteExpired!().catch((error: unknown) => error),
            new Promise((resolve) => {
              timer = setTimeout(resolve, withinMs, 'pending');
            }),
          ]);
          clearTimeout(timer);
          if (typeof removed === 'number') {
            expect(removed, 'deleteExpired on a backend with native expiry').toBe(0);
            return;
          }
        }
        await expectUnavailable(store, 'deleteExpired', 'deleteExpired', (s) =>
          (s as unknown as ExpiredCleanup).deleteExpired(),
        );
      },
    );

    ctx.test(
      'close resolves in time on a store whose backend is down, also after failed calls',
      { unavailable: true, timeout: timeout(2) },
      async (t: TestContext) => {
        const store = await unavailableStore();
        if (typeof store.close !== 'function') t.skip('the store has no close() (it is optional)');
        await store.find(randomId()).catch(() => {});
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          store.close!().then(
            () => 'resolved',
            (error: unknown) => `rejected: ${error instanceof Error ? error.message : error}`,
          ),
          new Promise<string>((resolve) => {
            timer = setTimeout(resolve, withinMs, `still pending after ${withinMs} ms`);
          }),
        ]);
        clearTimeout(timer);
        expect(outcome, 'close() of a store whose backend is down').toBe('resolved');
        // After close, the lifecycle answers: still a StoreUnavailableError, at once.
        await expectRejection(
          () => store.find(randomId()),
          StoreUnavailableError,
          'find after close()',
        );
      },
    );
  });
}
