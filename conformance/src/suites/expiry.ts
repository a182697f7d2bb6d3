import { expect } from 'vitest';
import { beforeDeadline, expectLive, expectRecord } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId } from '../fixtures.js';

/** Rule 5: an expired session is never returned, and an already-expired write persists nothing. */
export function expirySuite(ctx: SuiteContext): void {
  const { expiryMs, clockSkewMs, testTimeoutMs } = ctx.timing;
  const expiryTimeout = testTimeoutMs + ctx.sleeping(4 * expiryMs);

  ctx.group('expiry', () => {
    ctx.test(
      'find returns null once expiresAt has passed, without waiting for any cleanup',
      { timeout: expiryTimeout },
      async () => {
        const id = randomId();
        const record = makeRecord({ expiresAt: ctx.clock.now() + expiryMs });
        await ctx.store.create(id, record);
        const before = await ctx.store.find(id);
        expectRecord(
          before,
          { id, ...record },
          beforeDeadline('before expiry', record.expiresAt, ctx.clock.now()),
        );
        await ctx.clock.passInstant(record.expiresAt + clockSkewMs);
        expect(await ctx.store.find(id), 'after expiry').toBeNull();
      },
    );

    for (const [label, offset] of [
      ['one minute', -60_000],
      ['one millisecond', -1],
      ['the current instant', 0],
    ] as const) {
      ctx.test(`create with expiresAt ${label} in the past persists nothing`, {}, async () => {
        const id = randomId();
        await ctx.store.create(id, makeRecord({ expiresAt: ctx.clock.now() + offset }));
        expect(await ctx.store.find(id)).toBeNull();
        expect(await ctx.store.update(id, makeUpdate()), 'a later update').toEqual({
          ok: false,
          reason: 'missing',
        });
        const fresh = makeRecord();
        expect((await ctx.store.create(id, fresh)).ok, 'a later create of the id').toBe(true);
      });
    }

    ctx.test('update with expiresAt in the past removes the session', {}, async () => {
      const id = randomId();
      await ctx.store.create(id, makeRecord());
      const result = await ctx.store.update(id, makeUpdate({ expiresAt: ctx.clock.now() - 1_000 }));
      // Applied (and the session ended) or already gone: a well-formed result either way.
      if (result.ok) expect(Number.isFinite(result.version), 'update result version').toBe(true);
      else expect(result, 'update result').toEqual({ ok: false, reason: 'missing' });
      expect(await ctx.store.find(id)).toBeNull();
      expect(await ctx.store.update(id, makeUpdate()), 'a later update').toEqual({
        ok: false,
        reason: 'missing',
      });
    });

    ctx.test(
      'update that shortens the expiry makes the session expire at the new instant',
      { timeout: expiryTimeout },
      async () => {
        const id = randomId();
        await ctx.store.create(id, makeRecord());
        const changes = makeUpdate({ expiresAt: ctx.clock.now() + expiryMs });
        await ctx.store.update(id, changes);
        const before = await ctx.store.find(id);
        expectLive(
          before,
          beforeDeadline('before the new expiry', changes.expiresAt, ctx.clock.now()),
        );
        await ctx.clock.passInstant(changes.expiresAt + clockSkewMs);
        expect(await ctx.store.find(id), 'after the new expiry').toBeNull();
      },
    );

    ctx.test(
      'update that extends the expiry keeps the session past its original expiry',
      { timeout: expiryTimeout },
      async () => {
        const id = randomId();
        const record = makeRecord({ expiresAt: ctx.clock.now() + expiryMs });
        await ctx.store.create(id, record);
        const changes = makeUpdate();
        expect((await ctx.store.update(id, changes)).ok).toBe(true);
        await ctx.clock.passInstant(record.expiresAt + clockSkewMs);
        expectRecord(
          await ctx.store.find(id),
          { id, ...changes, createdAt: record.createdAt },
          'after the original expiry',
        );
      },
    );

    ctx.test(
      'sessions with different expiries expire independently',
      { timeout: expiryTimeout + ctx.sleeping(2 * expiryMs) },
      async () => {
        const now = ctx.clock.now();
        const soon = { id: randomId(), record: makeRecord({ expiresAt: now + expiryMs }) };
        const later = { id: randomId(), record: makeRecord({ expiresAt: now + 3 * expiryMs }) };
        await ctx.store.create(soon.id, soon.record);
        await ctx.store.create(later.id, later.record);
        await ctx.clock.passInstant(soon.record.expiresAt + clockSkewMs);
        expect(await ctx.store.find(soon.id), 'the short one after its expiry').toBeNull();
        expectRecord(await ctx.store.find(later.id), { id: later.id, ...later.record });
        await ctx.clock.passInstant(later.record.expiresAt + clockSkewMs);
        expect(await ctx.store.find(later.id), 'the long one after its expiry').toBeNull();
      },
    );
  });
}
