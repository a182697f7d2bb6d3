import { createHook, executionAsyncId } from 'node:async_hooks';
import {
  type IterableStore,
  StoreUnavailableError,
  supports,
  type TouchableStore,
  type UserIndexStore,
} from '@hallpass/core';
import { expect } from 'vitest';
import { expectRejection } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId, randomUserId } from '../fixtures.js';

/** How long a closed store's sockets may take to finish closing. */
const CLOSE_SETTLE_MS = 2_000;

/**
 * Starts recording the async resources (timers, sockets, handles) the calling test creates from
 * now on, directly or through anything it awaits: resources triggered from outside its async
 * chain (a shared client's own heartbeat, the test runner) are not the store's. `left()` lists
 * the recorded ones still alive that keep the event loop alive (ref'd); `stop()` ends it.
 */
function recordResources(): { left(): string[]; stop(): void } {
  const ours = new Set([executionAsyncId()]);
  const alive = new Map<number, { type: string; resource: { hasRef?: () => boolean } }>();
  const hook = createHook({
    init(asyncId, type, triggerAsyncId, resource) {
      if (!ours.has(triggerAsyncId) && !ours.has(executionAsyncId())) return;
      ours.add(asyncId);
      if (type !== 'PROMISE') alive.set(asyncId, { type, resource: resource as never });
    },
    destroy(asyncId) {
      alive.delete(asyncId);
    },
  }).enable();
  return {
    left: () =>
      [...alive.values()]
        .filter(({ resource }) => typeof resource.hasRef === 'function' && resource.hasRef())
        .map(({ type }) => type),
    stop: () => hook.disable(),
  };
}

/** Rule 7: close() releases what the store created and can be called any number of times. */
export function closeSuite(ctx: SuiteContext): void {
  ctx.group('close', () => {
    ctx.test('close resolves and is idempotent, also when called concurrently', {}, async (t) => {
      const store = await ctx.freshStore();
      if (typeof store.close !== 'function') t.skip('the store has no close() (it is optional)');
      await expect(store.close!()).resolves.toBeUndefined();
      await expect(store.close!(), 'second close').resolves.toBeUndefined();
      await expect(Promise.all([store.close!(), store.close!()])).resolves.toHaveLength(2);
    });

    ctx.test(
      'after close, nothing of the store keeps the process alive (active resources)',
      {},
      async () => {
        let left: string[] = [];
        const recording = recordResources();
        try {
          const store = await ctx.freshStore();
          // Used, so lazily opened connections and started timers exist.
          const id = randomId();
          await store.create(id, makeRecord());
          await store.find(id);
          await store.delete(id);
          await store.close?.();
          // Sockets close asynchronously: wait for them to go, up to a deadline.
          const deadline = Date.now() + CLOSE_SETTLE_MS;
          while (recording.left().length > 0 && Date.now() < deadline) {
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
          left = recording.left();
        } finally {
          recording.stop();
        }
        expect(
          left.sort(),
          "resources keeping the event loop alive that the store left after close() (ref'd timers, sockets)",
        ).toEqual([]);
      },
    );

    ctx.test('every call after close rejects with StoreUnavailableError', {}, async (t) => {
      const store = await ctx.freshStore();
      if (typeof store.close !== 'function') t.skip('the store has no close() (it is optional)');
      const id = randomId();
      const userId = randomUserId();
      await store.create(id, makeRecord({ userId }));
      await store.close!();
      // A closed store neither answers from what it still holds nor writes: the caller learns
      // at once that it is talking to a store it (or its shutdown) has closed.
      const now = ctx.clock.now();
      const calls: Array<[string, () => Promise<unknown> | AsyncIterable<unknown>]> = [
        ['find', () => store.find(id)],
        ['create', () => store.create(randomId(), makeRecord())],
        ['update', () => store.update(id, makeUpdate())],
        ['delete', () => store.delete(id)],
      ];
      if (supports(store, 'touch')) {
        calls.push(['touch', () => (store as TouchableStore).touch(id, now + 60_000, now)]);
      }
      if (supports(store, 'iterate')) {
        calls.push(['iterate', () => (store as IterableStore).iterate()]);
      }
      if (supports(store, 'userIndex')) {
        calls.push(['listByUser', () => (store as UserIndexStore).listByUser(userId)]);
        calls.push(['deleteByUser', () => (store as UserIndexStore).deleteByUser(userId)]);
      }
      for (const [method, call] of calls) {
        await expectRejection(call, StoreUnavailableError, `${method} after close()`);
      }
    });

    ctx.test(
      'closing one store leaves another store from the same factory working',
      {},
      async (t) => {
        const other = await ctx.freshStore();
        if (typeof other.close !== 'function') t.skip('the store has no close() (it is optional)');
        await other.close!();
        const id = randomId();
        expect((await ctx.store.create(id, makeRecord())).ok).toBe(true);
        expect(await ctx.store.find(id)).not.toBeNull();
      },
    );
  });
}
