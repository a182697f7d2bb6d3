import { getEventListeners } from 'node:events';
import {
  type IterableStore,
  type Store,
  StoreAbortedError,
  type StoredSession,
  type TouchableStore,
  type UserIndexStore,
} from '@hallpass/core';
import { expect } from 'vitest';
import { expectRecord, expectRejection } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId, randomUserId, textData } from '../fixtures.js';
import type { Capability } from '../types.js';

/**
 * Starts a call and fires its signal in the same turn, before any backend could have answered:
 * the call is in flight, not yet settled. Resolves to the call's own promise.
 */
function abortedInFlight<T>(start: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const pending = start(controller.signal);
  controller.abort(new Error('aborted by the conformance suite while the call was in flight'));
  return pending;
}

interface InFlightCase {
  method: string;
  requires?: Capability[];
  /** Sets up a session, makes the call; returns a check of what the store holds afterwards. */
  run(store: Store): Promise<void>;
}

/**
 * Rule 6, a signal that fires while a call is in flight: the call rejects with
 * StoreAbortedError at once, without waiting for the backend (the manager's storeTimeout is that
 * signal: a request must not hang on a backend that stopped answering). A write the backend had
 * already received may still land, but only whole.
 */
export function abortInFlightSuite(ctx: SuiteContext): void {
  const cases: InFlightCase[] = [
    {
      method: 'find',
      async run(store) {
        const id = randomId();
        const record = makeRecord();
        await store.create(id, record);
        // A read answered without a round trip (a cache hit) has settled before the signal
        // fires: it may resolve, with the session. One that waits on the backend must reject.
        let found: Awaited<ReturnType<Store['find']>>;
        try {
          found = await abortedInFlight((signal) => store.find(id, { signal }));
        } catch (error) {
          if (error instanceof StoreAbortedError) return;
          throw new Error('find aborted in flight: expected StoreAbortedError', { cause: error });
        }
        expectRecord(found, { id, ...record }, 'find answered despite the abort');
      },
    },
    {
      method: 'create',
      async run(store) {
        const id = randomId();
        const record = makeRecord();
        await expectRejection(
          () => abortedInFlight((signal) => store.create(id, record, { signal })),
          StoreAbortedError,
          'create aborted in flight',
        );
        const found = await store.find(id);
        if (found !== null) expectRecord(found, { id, ...record }, 'half-written create');
      },
    },
    {
      method: 'update',
      async run(store) {
        const id = randomId();
        const record = makeRecord();
        await store.create(id, record);
        const changes = makeUpdate();
        await expectRejection(
          () => abortedInFlight((signal) => store.update(id, changes, { signal })),
          StoreAbortedError,
          'update aborted in flight',
        );
        const found = await store.find(id);
        const applied = found?.expiresAt === changes.expiresAt;
        const expected = applied ? { ...changes, createdAt: record.createdAt } : record;
        expectRecord(found, { id, ...expected }, 'half-written update');
      },
    },
    {
      method: 'delete',
      async run(store) {
        const id = randomId();
        await store.create(id, makeRecord());
        await expectRejection(
          () => abortedInFlight((signal) => store.delete(id, { signal })),
          StoreAbortedError,
          'delete aborted in flight',
        );
      },
    },
    {
      method: 'touch',
      requires: ['touch'],
      async run(store) {
        const touchable = store as TouchableStore;
        const id = randomId();
        await store.create(id, makeRecord());
        const expiresAt = ctx.clock.now() + 7_200_000;
        await expectRejection(
          () =>
            abortedInFlight((signal) =>
              touchable.touch(id, expiresAt, ctx.clock.now(), { signal }),
            ),
          StoreAbortedError,
          'touch aborted in flight',
        );
      },
    },
    {
      method: 'listByUser',
      requires: ['userIndex'],
      async run(store) {
        const indexed = store as UserIndexStore;
        const userId = randomUserId();
        await store.create(randomId(), makeRecord({ userId }));
        await expectRejection(
          () => abortedInFlight((signal) => indexed.listByUser(userId, { signal })),
          StoreAbortedError,
          'listByUser aborted in flight',
        );
      },
    },
    {
      method: 'deleteByUser',
      requires: ['userIndex'],
      async run(store) {
        const indexed = store as UserIndexStore;
        const userId = randomUserId();
        await store.create(randomId(), makeRecord({ userId }));
        await expectRejection(
          () => abortedInFlight((signal) => indexed.deleteByUser(userId, { signal })),
          StoreAbortedError,
          'deleteByUser aborted in flight',
        );
      },
    },
    {
      method: 'iterate',
      requires: ['iterate'],
      async run(store) {
        await store.create(randomId(), makeRecord());
        const iterable = store as IterableStore;
        // The first page is in flight when the signal fires.
        await expectRejection(
          () =>
            abortedInFlight((signal) =>
              iterable.iterate({ signal })[Symbol.asyncIterator]().next(),
            ),
          StoreAbortedError,
          'iterate aborted while its first page was in flight',
        );
      },
    },
  ];

  ctx.group('abort in flight', () => {
    for (const { method, requires, run } of cases) {
      ctx.test(
        `${method} whose signal fires while it is in flight rejects with StoreAbortedError`,
        requires ? { requires } : {},
        () => run(ctx.store),
      );
    }

    ctx.test(
      'a signal shared by many calls holds no listener once they have settled',
      {},
      async () => {
        // One long-lived signal (a server's shutdown signal) passed to every call: a listener
        // left behind per call is a leak that grows with traffic.
        const { signal } = new AbortController();
        const id = randomId();
        await ctx.store.create(id, makeRecord(), { signal });
        for (let i = 0; i < 20; i++) {
          await ctx.store.find(id, { signal });
          await ctx.store.update(id, makeUpdate(), { signal });
        }
        await ctx.store.delete(id, { signal });
        expect(getEventListeners(signal, 'abort').length, 'abort listeners left').toBe(0);
      },
    );

    ctx.test(
      'once the signal fires, iterate yields no further session, not even from a page it holds',
      { requires: ['iterate'] },
      async () => {
        const store = ctx.store as IterableStore;
        for (let i = 0; i < 5; i++) {
          await store.create(randomId(), makeRecord({ data: textData(`#${i}`) }));
        }
        const controller = new AbortController();
        // One page holds every session: only a check before each yield can stop it.
        const sessions = store
          .iterate({ pageSize: 1_000, signal: controller.signal })
          [Symbol.asyncIterator]();
        const first = await sessions.next();
        expect(first.done, 'the first session').toBe(false);
        controller.abort();
        const after: StoredSession[] = [];
        await expectRejection(
          async () => {
            for (;;) {
              const next = await sessions.next();
              if (next.done) return;
              after.push(next.value);
            }
          },
          StoreAbortedError,
          'iterate after its signal fired',
        );
        expect(after.length, 'sessions yielded after the signal fired').toBe(0);
      },
    );
  });
}
