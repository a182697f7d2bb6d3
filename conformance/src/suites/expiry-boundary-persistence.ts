import type { TouchableStore } from '@hallpass/core';
import { expect } from 'vitest';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId, randomUserId } from '../fixtures.js';
import { entriesMentioning } from './raw-inspection.js';

/**
 * Rule 5 at its edge, in the backend: a write whose `expiresAt` is exactly the clock's "now"
 * persists nothing, like one in the past (`expiresAt <= now` is expired). Reads filter such a row
 * anyway, so only the inspector tells a store that wrote it (and relies on cleanup) apart.
 */
export function expiryBoundaryPersistenceSuite(ctx: SuiteContext): void {
  const spec = { inspector: 'entries' as const, controlledClock: true };
  const left = async (id: string) => entriesMentioning(await (await ctx.inspector()).entries(), id);

  ctx.group('expiry boundary in the backend', () => {
    ctx.test(
      'a create with expiresAt equal to the clock succeeds and persists nothing',
      spec,
      async () => {
        const now = ctx.clock.now() + 1_000;
        ctx.clock.pin(now);
        const id = randomId();
        const result = await ctx.store.create(
          id,
          makeRecord({ userId: randomUserId(), expiresAt: now }),
        );
        // The id is free: a create that lands nothing still succeeds, it is not `exists`.
        expect(result.ok, 'create with expiresAt = now').toBe(true);
        if (result.ok) expect(typeof result.version, 'its version').toBe('number');
        expect(
          (await left(id)).map((entry) => entry.key),
          'persisted',
        ).toEqual([]);
      },
    );

    ctx.test(
      'an update with expiresAt equal to the clock leaves nothing behind',
      spec,
      async () => {
        const now = ctx.clock.now() + 1_000;
        ctx.clock.pin(now);
        const id = randomId();
        const userId = randomUserId();
        await ctx.store.create(id, makeRecord({ userId }));
        await ctx.store.update(id, makeUpdate({ userId, expiresAt: now }));
        expect(
          (await left(id)).map((entry) => entry.key),
          'left',
        ).toEqual([]);
      },
    );

    ctx.test(
      'a touch with expiresAt equal to the clock, or before it, leaves nothing behind',
      { ...spec, requires: ['touch'] },
      async () => {
        const store = ctx.store as TouchableStore;
        const now = ctx.clock.now() + 1_000;
        ctx.clock.pin(now);
        for (const expiresAt of [now, now - 60_000]) {
          const id = randomId();
          const userId = randomUserId();
          await store.create(id, makeRecord({ userId }));
          expect(await store.touch(id, expiresAt, now), `touch of a live session`).toBe(true);
          const keys = (await left(id)).map((entry) => entry.key);
          expect(keys, `left after a touch to ${expiresAt - now} ms from now`).toEqual([]);
        }
      },
    );
  });
}
