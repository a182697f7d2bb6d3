import type { StandardStoreOptions } from '@hallpass/core/store';
import type { TestContext } from 'vitest';
import { expect } from 'vitest';
import { expectLive } from '../assertions.js';
import { configuredStore, expectConfigurationError, inspectorOf } from '../configured.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, randomId } from '../fixtures.js';

/** Values that are not a positive integer; the kit refuses each (a numeric string included). */
const BAD_BATCH_SIZES: unknown[] = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10'];
/** Values that are not a finite number of ms (0 or more): a timer cannot wait for ever. */
const BAD_INTERVALS: unknown[] = [-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, '1000'];

/**
 * Standard options, their checks and defaults (stores on the kit, through `configure`): a
 * `clock` that is not a function, a `cleanupBatchSize` that is not a positive integer and a
 * `cleanupIntervalMs` that is not a number of ms (0 disables) are refused when the store is
 * built, with ConfigurationError naming the option: a typo in a deployment's settings fails at
 * start-up, not with a cleanup that silently never runs. Without a `clock` the store judges
 * expiry by real time (`Date.now`). The cleanup options are for stores that clean up
 * themselves: on a backend that expires sessions by itself (inspector.nativeExpiry) their
 * tests are skipped.
 */
export function standardOptionsValidationSuite(ctx: SuiteContext): void {
  const skipOnNativeExpiry = async (t: TestContext) => {
    const raw = await inspectorOf(ctx, ctx.store);
    if (raw?.nativeExpiry) t.skip('the backend expires sessions by itself: no cleanup options');
  };

  ctx.group('standard options: checks and defaults', () => {
    ctx.test(
      'without a clock option the store judges expiry by real time',
      { configure: true },
      async () => {
        const store = await configuredStore(ctx, {}, { withoutClock: true });
        const live = randomId();
        const expired = randomId();
        expect((await store.create(live, makeRecord({ expiresAt: Date.now() + 60_000 }))).ok).toBe(
          true,
        );
        // One second behind real time: expired for Date.now, live for a clock stuck at 0 or in
        // seconds, or for one that was never set.
        expect(
          (await store.create(expired, makeRecord({ expiresAt: Date.now() - 1_000 }))).ok,
        ).toBe(true);
        expectLive(await store.find(live), 'a session expiring in a minute');
        expect(await store.find(expired), 'a session that expired a second ago').toBeNull();
      },
    );

    ctx.test(
      'a clock that is not a function is refused with ConfigurationError',
      { configure: true },
      async () => {
        for (const clock of ['Date.now', 1_700_000_000_000, {}]) {
          await expectConfigurationError(
            ctx,
            { clock } as unknown as StandardStoreOptions,
            `clock: ${JSON.stringify(clock)}`,
            'clock',
          );
        }
      },
    );

    const cleanupOptions = [
      {
        option: 'cleanupBatchSize',
        title: 'is not a positive integer is refused with ConfigurationError; 1 is accepted',
        bad: BAD_BATCH_SIZES,
        good: 1,
      },
      {
        option: 'cleanupIntervalMs',
        title: 'is not a number of ms is refused with ConfigurationError; 0 is accepted',
        bad: BAD_INTERVALS,
        good: 0,
      },
    ] as const;
    for (const { option, title, bad, good } of cleanupOptions) {
      ctx.test(`a ${option} that ${title}`, { configure: true }, async (t) => {
        await skipOnNativeExpiry(t);
        for (const value of bad) {
          await expectConfigurationError(
            ctx,
            { [option]: value } as unknown as StandardStoreOptions,
            `${option}: ${String(value)}`,
            option,
          );
        }
        const store = await configuredStore(ctx, { [option]: good });
        const id = randomId();
        expect((await store.create(id, makeRecord())).ok, `${option}: ${good}`).toBe(true);
      });
    }
  });
}
