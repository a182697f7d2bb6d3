import { expect } from 'vitest';
import type { SuiteContext } from '../context.js';
import { makeRecord, randomId } from '../fixtures.js';

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
