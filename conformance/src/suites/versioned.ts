import { expect } from 'vitest';
import { beforeDeadline, expectBytes, expectLive } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { dataText, makeRecord, makeUpdate, randomId, textData } from '../fixtures.js';

/** Rule 3: compare-and-set, for stores declaring `capabilities.versioned`. */
export function versionedSuite(ctx: SuiteContext): void {
  const versioned = { requires: ['versioned' as const] };

  ctx.group('versioned update', () => {
    ctx.test('update returns the new version, and find returns it', versioned, async () => {
      const id = randomId();
      const created = await ctx.store.create(id, makeRecord());
      if (!created.ok) throw new Error('create of a fresh id returned exists');
      expect(expectLive(await ctx.store.find(id)).version).toBe(created.version);
      const updated = await ctx.store.update(id, makeUpdate(), {
        expectedVersion: created.version,
      });
      if (!updated.ok)
        throw new Error(`update with the current version returned ${updated.reason}`);
      expect(updated.version, 'version after update').not.toBe(created.version);
      expect(expectLive(await ctx.store.find(id)).version).toBe(updated.version);
    });

    ctx.test('every update produces a version not seen before', versioned, async () => {
      const id = randomId();
      const created = await ctx.store.create(id, makeRecord());
      if (!created.ok) throw new Error('create of a fresh id returned exists');
      const seen = [created.version];
      for (let i = 0; i < 25; i++) {
        const previous = seen.at(-1) as number;
        const result = await ctx.store.update(id, makeUpdate(), { expectedVersion: previous });
        if (!result.ok) throw new Error(`update ${i} with the current version: ${result.reason}`);
        expect(seen, `update ${i} reused a version`).not.toContain(result.version);
        seen.push(result.version);
      }
      // Unconditional updates change the version too.
      const last = await ctx.store.update(id, makeUpdate());
      if (!last.ok) throw new Error(`unconditional update: ${last.reason}`);
      expect(seen).not.toContain(last.version);
    });

    ctx.test(
      'update with a stale expectedVersion returns conflict and writes nothing',
      versioned,
      async () => {
        const id = randomId();
        const created = await ctx.store.create(id, makeRecord());
        if (!created.ok) throw new Error('create of a fresh id returned exists');
        const winner = makeUpdate();
        const first = await ctx.store.update(id, winner, { expectedVersion: created.version });
        expect(first.ok).toBe(true);
        const loser = makeUpdate();
        const second = await ctx.store.update(id, loser, { expectedVersion: created.version });
        expect(second).toEqual({ ok: false, reason: 'conflict' });
        const found = expectLive(await ctx.store.find(id));
        expectBytes(found.data, winner.data, 'data after the conflicting update');
        expect(found.expiresAt).toBe(winner.expiresAt);
        if (first.ok) expect(found.version).toBe(first.version);
      },
    );

    ctx.test(
      'update with an expectedVersion never issued returns conflict',
      versioned,
      async () => {
        const id = randomId();
        const created = await ctx.store.create(id, makeRecord());
        if (!created.ok) throw new Error('create of a fresh id returned exists');
        const result = await ctx.store.update(id, makeUpdate(), {
          expectedVersion: created.version + 1_000_003,
        });
        expect(result).toEqual({ ok: false, reason: 'conflict' });
      },
    );

    ctx.test(
      'update with expectedVersion of a session that is gone returns missing',
      versioned,
      async () => {
        const id = randomId();
        const created = await ctx.store.create(id, makeRecord());
        if (!created.ok) throw new Error('create of a fresh id returned exists');
        await ctx.store.delete(id);
        expect(
          await ctx.store.update(id, makeUpdate(), { expectedVersion: created.version }),
        ).toEqual({ ok: false, reason: 'missing' });
        expect(await ctx.store.find(id)).toBeNull();
      },
    );

    ctx.test(
      'compare-and-set applies whatever the payload: unchanged data with a stale version is a conflict',
      versioned,
      async () => {
        const id = randomId();
        const created = await ctx.store.create(id, makeRecord());
        if (!created.ok) throw new Error('create of a fresh id returned exists');
        const changes = makeUpdate();
        const first = await ctx.store.update(id, changes, { expectedVersion: created.version });
        if (!first.ok) throw new Error(`update with the current version returned ${first.reason}`);
        // The same changes again, byte for byte: a store that skips the check (or the write)
        // when nothing would change must still refuse a stale version...
        const same = { ...changes, data: changes.data.slice() };
        expect(
          await ctx.store.update(id, same, { expectedVersion: created.version }),
          'the same changes with the stale version',
        ).toEqual({ ok: false, reason: 'conflict' });
        expect(expectLive(await ctx.store.find(id)).version).toBe(first.version);
        // ...and with the current version still produce a new version.
        const again = await ctx.store.update(id, same, { expectedVersion: first.version });
        if (!again.ok)
          throw new Error(`the same changes with the current version: ${again.reason}`);
        expect(again.version, 'version after an update that changed no field').not.toBe(
          first.version,
        );
        expect(expectLive(await ctx.store.find(id)).version).toBe(again.version);
        expect(
          await ctx.store.update(id, same, { expectedVersion: first.version }),
          'the same changes with the version it replaced',
        ).toEqual({ ok: false, reason: 'conflict' });
      },
    );

    ctx.test(
      'a stale expectedVersion on an expired session returns missing, not conflict',
      { ...versioned, timeout: ctx.timing.testTimeoutMs + ctx.sleeping(4 * ctx.timing.expiryMs) },
      async () => {
        const id = randomId();
        const expiresAt = ctx.clock.now() + ctx.timing.expiryMs;
        const created = await ctx.store.create(id, makeRecord({ expiresAt }));
        if (!created.ok) throw new Error('create of a fresh id returned exists');
        const updated = await ctx.store.update(id, makeUpdate({ expiresAt }), {
          expectedVersion: created.version,
        });
        expect(
          updated.ok,
          beforeDeadline('update before the expiry', expiresAt, ctx.clock.now()),
        ).toBe(true);
        await ctx.clock.passInstant(expiresAt + ctx.timing.clockSkewMs);
        for (const [label, version] of [
          ['a stale version', created.version],
          ['the last version', updated.ok ? updated.version : created.version],
        ] as const) {
          expect(
            await ctx.store.update(id, makeUpdate(), { expectedVersion: version }),
            label,
          ).toEqual({ ok: false, reason: 'missing' });
        }
        expect(await ctx.store.find(id)).toBeNull();
      },
    );

    ctx.test(
      'parallel updates with the same expectedVersion: exactly one wins',
      versioned,
      async () => {
        const id = randomId();
        const created = await ctx.store.create(id, makeRecord());
        if (!created.ok) throw new Error('create of a fresh id returned exists');
        const attempts = Array.from({ length: 25 }, () => makeUpdate());
        const results = await Promise.all(
          attempts.map((changes) =>
            ctx.store.update(id, changes, { expectedVersion: created.version }),
          ),
        );
        const winners = results.flatMap((result, i) => (result.ok ? [i] : []));
        expect(winners, 'updates that succeeded').toHaveLength(1);
        for (const result of results) {
          if (!result.ok) expect(result.reason).toBe('conflict');
        }
        const found = expectLive(await ctx.store.find(id));
        expectBytes(found.data, attempts[winners[0] as number]!.data, 'stored data is the winner');
      },
    );

    ctx.test(
      'concurrent read-modify-write loops retrying on conflict lose no update',
      { ...versioned, timeout: ctx.timing.testTimeoutMs * 3 },
      async () => {
        const id = randomId();
        const writers = ctx.scale.casWriters;
        await ctx.store.create(id, makeRecord({ data: textData('[]') }));
        let conflicts = 0;
        const writer = async (marker: number) => {
          for (let attempt = 0; attempt < 10_000; attempt++) {
            const current = expectLive(await ctx.store.find(id), `writer ${marker}`);
            const markers = JSON.parse(dataText(current.data)) as number[];
            markers.push(marker);
            const result = await ctx.store.update(
              id,
              makeUpdate({ data: textData(JSON.stringify(markers)) }),
              { expectedVersion: current.version },
            );
            if (result.ok) return;
            expect(result.reason, `writer ${marker}`).toBe('conflict');
            conflicts++;
          }
          throw new Error(`writer ${marker} never won a compare-and-set in 10 000 attempts`);
        };
        await Promise.all(Array.from({ length: writers }, (_, i) => writer(i)));
        const final = JSON.parse(dataText(expectLive(await ctx.store.find(id)).data)) as number[];
        expect(
          [...final].sort((a, b) => a - b),
          'every writer appended exactly once',
        ).toEqual(Array.from({ length: writers }, (_, i) => i));
        expect(conflicts, 'conflicts reported under contention').toBeGreaterThan(0);
      },
    );
  });
}
