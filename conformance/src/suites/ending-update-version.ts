import { expect } from 'vitest';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId } from '../fixtures.js';

/**
 * Rule 3: every update gives the session a version never seen before, the update that ends it
 * (an `expiresAt` already passed) included. A store that answers it with the version the session
 * had, or an earlier one, hands a caller holding that version a success it cannot tell apart
 * from a write that kept the session.
 */
export function endingUpdateVersionSuite(ctx: SuiteContext): void {
  const versioned = { requires: ['versioned' as const] };

  ctx.group('versioned update', () => {
    for (const conditional of [true, false]) {
      ctx.test(
        `an update that ends the session ${conditional ? 'with' : 'without'} expectedVersion returns a version not seen before`,
        versioned,
        async () => {
          const id = randomId();
          const created = await ctx.store.create(id, makeRecord());
          if (!created.ok) throw new Error('create of a fresh id returned exists');
          const seen = [created.version];
          for (let i = 0; i < 2; i++) {
            const updated = await ctx.store.update(id, makeUpdate(), {
              expectedVersion: seen.at(-1),
            });
            if (!updated.ok) throw new Error(`update ${i}: ${updated.reason}`);
            seen.push(updated.version);
          }
          const ended = await ctx.store.update(
            id,
            makeUpdate({ expiresAt: ctx.clock.now() - 1_000 }),
            conditional ? { expectedVersion: seen.at(-1) } : {},
          );
          // Applied (the session ended) or refused as gone: both well-formed; only a success
          // carries a version.
          if (ended.ok) expect(seen, 'version of the ending update').not.toContain(ended.version);
          else expect(ended).toEqual({ ok: false, reason: 'missing' });
          expect(await ctx.store.find(id)).toBeNull();
        },
      );
    }
  });
}
