import { InvalidInputError, type UpdateOptions } from '@hallpass/core';
import { expect } from 'vitest';
import { expectRecord, expectRejection } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId } from '../fixtures.js';

/**
 * expectedVersion values every versioned store must refuse. A numeric string is the dangerous
 * one: a SQL `WHERE version = ?` coerces '1' to 1 and the compare-and-set succeeds on text.
 */
const INVALID_VERSIONS: ReadonlyArray<[string, unknown]> = [
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['a numeric string', '1'],
];

/** Rule 3 and rule 6: a compare-and-set version is a finite number, or the update is refused. */
export function versionValidationSuite(ctx: SuiteContext): void {
  ctx.group('version validation', () => {
    ctx.test(
      'update rejects an expectedVersion that is not a finite number, writing nothing',
      { requires: ['versioned'] },
      async () => {
        const id = randomId();
        const record = makeRecord();
        const created = await ctx.store.create(id, record);
        expect(created.ok).toBe(true);
        for (const [label, expectedVersion] of INVALID_VERSIONS) {
          const options = { expectedVersion } as unknown as UpdateOptions;
          await expectRejection(
            () => ctx.store.update(id, makeUpdate(), options),
            InvalidInputError,
            `update with expectedVersion ${label}`,
          );
        }
        expectRecord(await ctx.store.find(id), { id, ...record }, 'after rejected updates');
      },
    );
  });
}
