import { createHook } from 'node:async_hooks';
import type { Store } from '@hallpass/core';
import { expect, type TestContext, vi } from 'vitest';
import { configuredStore, inspectorOf } from '../configured.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, randomId, randomUserId, sleep } from '../fixtures.js';
import type { RawInspector } from '../types.js';
import { entriesMentioning } from './raw-inspection.js';

/** The interval these tests give: a sweep every few dozen ms of real time. */
const SHORT_MS = 25;
/** The longest a sweep may take to show, on a busy machine: a bound, not an expectation. */
const SWEPT_WITHIN_MS = 5_000;
/** How long a store with no cleanup to run is watched: ten short intervals. */
const QUIET_MS = 10 * SHORT_MS;
/** Longer than any setTimeout delay (2^31 - 1 ms): Node runs such a timer after 1 ms instead. */
const BEYOND_TIMER_RANGE_MS = 2 ** 31;

/**
 * Standard options, the background cleanup (stores on the kit, through `configure`; a backend
 * that expires sessions by itself has none, and these tests are skipped on it): every
 * `cleanupIntervalMs` the store removes from the backend what its clock calls expired, with no
 * call to trigger it, sweep after sweep; `cleanupIntervalMs: 0` runs none; `close()` stops it
 * (no sweep and no `onCleanupError` report after it); its timer never keeps the process alive
 * and is gone after close(). The timer runs on real time, so these tests wait a few short
 * intervals; what a sweep removes is decided by the store's (the suite's) clock.
 */
export function standardOptionsCleanupTimerSuite(ctx: SuiteContext): void {
  const { expiryMs, testTimeoutMs } = ctx.timing;

  /** The configured store's inspector; skips the test on a backend with native expiry. */
  const rawOf = async (store: Store, t: TestContext): Promise<RawInspector | undefined> => {
    const raw = await inspectorOf(ctx, store);
    if (raw?.nativeExpiry) t.skip('the backend expires sessions by itself: no background cleanup');
    return raw;
  };
  const mentioning = async (raw: RawInspector, ids: readonly string[]) => {
    const entries = await raw.entries();
    return ids.flatMap((id) => entriesMentioning(entries, id)).map((entry) => entry.key);
  };

  /** A store with the background cleanup given, one session of it expired by the clock. */
  const quietCheck = async (t: TestContext, cleanupIntervalMs: number, what: string) => {
    const store = await configuredStore(ctx, { cleanupIntervalMs });
    const raw = (await rawOf(store, t)) as RawInspector;
    const id = randomId();
    const expiresAt = ctx.clock.now() + expiryMs;
    await store.create(id, makeRecord({ expiresAt }));
    ctx.clock.pin(expiresAt + 1);
    await sleep(QUIET_MS);
    expect(
      (await mentioning(raw, [id])).length,
      `entries of an expired session ${QUIET_MS} ms after it expired, with ${what}`,
    ).toBeGreaterThan(0);
    await store.delete(id);
  };

  ctx.group('standard options: background cleanup', () => {
    ctx.test(
      'with a short cleanupIntervalMs, sessions expired by the store clock leave the backend without any call, sweep after sweep',
      {
        configure: true,
        inspector: 'entries',
        controlledClock: true,
        timeout: testTimeoutMs + 2 * SWEPT_WITHIN_MS,
      },
      async (t) => {
        const store = await configuredStore(ctx, { cleanupIntervalMs: SHORT_MS });
        const raw = (await rawOf(store, t)) as RawInspector;
        // Ahead of real time: only a sweep judging by the store's clock removes them.
        const first = ctx.clock.now() + expiryMs;
        const second = first + expiryMs;
        const early = [randomId(), randomId()];
        const later = randomId();
        const live = randomId();
        await store.create(early[0] as string, makeRecord({ expiresAt: first }));
        await store.create(
          early[1] as string,
          makeRecord({ expiresAt: first, userId: randomUserId() }),
        );
        await store.create(later, makeRecord({ expiresAt: second }));
        await store.create(live, makeRecord({ expiresAt: second + 100 * expiryMs }));

        // Exactly at their expiresAt: expired (the read paths' boundary). Nothing is read
        // through the store from here on, so only the cleanup can remove them.
        ctx.clock.pin(first);
        await vi.waitFor(
          async () =>
            expect(
              await mentioning(raw, early),
              `entries of sessions expired by the store clock, ${SWEPT_WITHIN_MS} ms after it passed their expiresAt (cleanupIntervalMs ${SHORT_MS})`,
            ).toEqual([]),
          { timeout: SWEPT_WITHIN_MS, interval: SHORT_MS },
        );
        expect(
          (await mentioning(raw, [later])).length,
          'a session not yet expired',
        ).toBeGreaterThan(0);

        // A later sweep: the cleanup goes on after its first run.
        ctx.clock.pin(second);
        await vi.waitFor(
          async () =>
            expect(
              await mentioning(raw, [later]),
              `entries of a session that expired after the first sweep, ${SWEPT_WITHIN_MS} ms later`,
            ).toEqual([]),
          { timeout: SWEPT_WITHIN_MS, interval: SHORT_MS },
        );
        expect((await mentioning(raw, [live])).length, 'a live session').toBeGreaterThan(0);
        await store.delete(live);
      },
    );

    ctx.test(
      'cleanupIntervalMs 0 runs no background cleanup',
      { configure: true, inspector: 'entries', controlledClock: true },
      (t) => quietCheck(t, 0, 'cleanupIntervalMs 0'),
    );

    ctx.test(
      'a cleanupIntervalMs beyond what a timer holds (2^31 ms) does not sweep at once',
      { configure: true, inspector: 'entries', controlledClock: true },
      (t) => quietCheck(t, BEYOND_TIMER_RANGE_MS, `cleanupIntervalMs ${BEYOND_TIMER_RANGE_MS}`),
    );

    ctx.test(
      'close() stops the background cleanup: no sweep and no onCleanupError after it',
      { configure: true, controlledClock: true },
      async (t) => {
        const errors: unknown[] = [];
        const store = await configuredStore(ctx, {
          cleanupIntervalMs: SHORT_MS,
          onCleanupError: (error) => errors.push(error),
        });
        const raw = await rawOf(store, t);
        if (typeof store.close !== 'function') t.skip('the store has no close() (it is optional)');
        const id = randomId();
        const expiresAt = ctx.clock.now() + expiryMs;
        await store.create(id, makeRecord({ expiresAt }));
        await store.close!();
        ctx.clock.pin(expiresAt);
        await sleep(QUIET_MS);
        // A cleanup still running after close() fails against the closed store.
        expect(errors, `onCleanupError calls in the ${QUIET_MS} ms after close()`).toEqual([]);
        if (raw) {
          expect(
            (await mentioning(raw, [id])).length,
            'entries of an expired session, swept after close()',
          ).toBeGreaterThan(0);
          await ctx.store.delete(id);
        }
      },
    );

    ctx.test(
      'the cleanup timer the store starts never keeps the process alive, and close() clears it',
      { configure: true },
      async (t) => {
        await rawOf(ctx.store, t);
        const configure = ctx.options.configure;
        if (!configure) throw new Error('no configure option was given to describeStore');
        // The timers the constructor starts (synchronously: where the kit starts its cleanup).
        const timers = new Map<number, { hasRef?: () => boolean }>();
        let constructing = true;
        const hook = createHook({
          init(asyncId, type, _trigger, resource) {
            if (constructing && type === 'Timeout') timers.set(asyncId, resource as never);
          },
          destroy(asyncId) {
            timers.delete(asyncId);
          },
        }).enable();
        let store: Store | undefined;
        try {
          const built = configure(
            { clock: ctx.clock.now, cleanupIntervalMs: 60_000 },
            { clock: ctx.clock.now },
          );
          constructing = false;
          store = await built;
          ctx.closeAfterTest(store);
          const reffed = [...timers.values()].filter((timer) => timer.hasRef?.() !== false);
          expect(reffed.length, "ref'd timers started by the store's constructor").toBe(0);
          await store.close?.();
          const deadline = Date.now() + 2_000;
          while (timers.size > 0 && Date.now() < deadline) {
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
          expect(timers.size, "the constructor's timers still scheduled after close()").toBe(0);
        } finally {
          constructing = false;
          hook.disable();
        }
      },
    );
  });
}
