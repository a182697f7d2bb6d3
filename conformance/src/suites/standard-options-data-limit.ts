import { InvalidInputError } from '@hallpass/core';
import { expect } from 'vitest';
import { expectBytes, expectLive, expectRejection } from '../assertions.js';
import { configuredStore, inspectorOf } from '../configured.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomData, randomId } from '../fixtures.js';
import { entriesMentioning } from './raw-inspection.js';

/** The limit the test gives: small, so a store that loses it accepts the next byte. */
const LIMIT = 1_024;

/**
 * Standard option `maxDataBytes` (stores on the kit, through `configure`): data of more bytes
 * is refused with InvalidInputError (RecordTooLargeError) before anything is written, by create
 * and by update alike; data of exactly that many bytes is stored. A view counts its own bytes,
 * not its backing buffer's.
 */
export function standardOptionsDataLimitSuite(ctx: SuiteContext): void {
  ctx.group('standard options: maxDataBytes', () => {
    ctx.test(
      'create over maxDataBytes is refused with InvalidInputError and writes nothing; at the limit it is stored',
      { configure: true },
      async () => {
        const store = await configuredStore(ctx, { maxDataBytes: LIMIT });
        const raw = await inspectorOf(ctx, store);
        const over = randomId();
        await expectRejection(
          () => store.create(over, makeRecord({ data: randomData(LIMIT + 1) })),
          InvalidInputError,
          `create with ${LIMIT + 1} bytes of data (maxDataBytes ${LIMIT})`,
        );
        expect(await store.find(over), 'a refused create').toBeNull();
        if (raw) {
          expect(
            entriesMentioning(await raw.entries(), over),
            'entries of a refused create',
          ).toEqual([]);
        }
        // The id a refused create named is still free.
        const atLimit = randomData(LIMIT);
        expect((await store.create(over, makeRecord({ data: atLimit }))).ok).toBe(true);
        expectBytes(expectLive(await store.find(over)).data, atLimit, `${LIMIT} bytes of data`);
        // A view of exactly the limit inside a larger buffer: its own bytes are what count.
        const backing = randomData(3 * LIMIT);
        const view = backing.subarray(LIMIT, 2 * LIMIT);
        const viewed = randomId();
        expect((await store.create(viewed, makeRecord({ data: view }))).ok, 'a view').toBe(true);
        expectBytes(expectLive(await store.find(viewed)).data, view, 'data given as a view');
      },
    );

    ctx.test(
      'update over maxDataBytes is refused with InvalidInputError and leaves the session as it was',
      { configure: true },
      async () => {
        const store = await configuredStore(ctx, { maxDataBytes: LIMIT });
        const id = randomId();
        const data = randomData(LIMIT);
        expect((await store.create(id, makeRecord({ data }))).ok).toBe(true);
        await expectRejection(
          () => store.update(id, makeUpdate({ data: randomData(LIMIT + 1) })),
          InvalidInputError,
          `update with ${LIMIT + 1} bytes of data (maxDataBytes ${LIMIT})`,
        );
        expectBytes(expectLive(await store.find(id)).data, data, 'data after a refused update');
        const next = randomData(LIMIT);
        expect((await store.update(id, makeUpdate({ data: next }))).ok, 'update at the limit').toBe(
          true,
        );
        expectBytes(expectLive(await store.find(id)).data, next, 'data updated at the limit');
      },
    );
  });
}
