import {
  CorruptDataError,
  type IterableStore,
  type Store,
  type StoredSession,
  supports,
  type UserIndexStore,
} from '@hallpass/core';
import type { CorruptDataEvent } from '@hallpass/core/store';
import { expect, type TestContext } from 'vitest';
import { configuredStore, inspectorOf } from '../configured.js';
import type { SuiteContext } from '../context.js';
import { collect, makeRecord, randomId, randomUserId, withCorruptNeighbour } from '../fixtures.js';
import type { RawInspector } from '../types.js';

/** The code of the process warning a skipped corrupt session is without `onCorruptData`. */
const WARNING_CODE = 'HALLPASS_CORRUPT_DATA';

/**
 * Standard option `onCorruptData` (stores on the kit, through `configure`): a listing that skips
 * a stored session it cannot read (damaged through the inspector's `corrupt()`) calls it with
 * `{ store, id, error: CorruptDataError }`; a listener that throws fails neither the listing nor
 * the store; without the option the skipped session is a process warning with code
 * `HALLPASS_CORRUPT_DATA`. A listing that returns the damaged entry as a well-formed session
 * skipped nothing and passes.
 */
export function standardOptionsCorruptDataSuite(ctx: SuiteContext): void {
  /**
   * Writes a healthy and a corrupt session of one user through `store`, lists them (listByUser,
   * or iterate), and returns the ids listed, or null when the listing left the corrupt one in.
   */
  const listWithCorrupt = async (
    store: Store,
    t: TestContext,
  ): Promise<{ id: string; healthy: string; listed: string[] } | null> => {
    const byUser = supports(store, 'userIndex');
    if (!byUser && !supports(store, 'iterate')) {
      t.skip('the store lists nothing: neither capabilities.userIndex nor capabilities.iterate');
    }
    const raw = (await inspectorOf(ctx, store)) as RawInspector;
    const userId = randomUserId();
    return withCorruptNeighbour(
      store,
      (id) => raw.corrupt!(id),
      userId,
      async ({ id, healthy }) => {
        const sessions: StoredSession[] = byUser
          ? await (store as UserIndexStore).listByUser(userId)
          : await collect((store as IterableStore).iterate());
        const listed = sessions.map((session) => session.id);
        expect(listed, 'the healthy session next to a corrupt one').toContain(healthy);
        return listed.includes(id) ? null : { id, healthy, listed };
      },
    );
  };

  ctx.group('standard options: onCorruptData', () => {
    ctx.test(
      'a listing that skips a corrupt session calls onCorruptData with { store, id, error }',
      { configure: true, inspector: 'corrupt' },
      async (t) => {
        const events: CorruptDataEvent[] = [];
        const store = await configuredStore(ctx, { onCorruptData: (event) => events.push(event) });
        const outcome = await listWithCorrupt(store, t);
        if (!outcome) return;
        const reported = events.filter((event) => event.id === outcome.id);
        expect(reported.length, 'onCorruptData calls for the skipped session').toBeGreaterThan(0);
        for (const event of reported) {
          expect(event.error, 'the event error').toBeInstanceOf(CorruptDataError);
          expect(typeof event.store, 'the event store name').toBe('string');
          expect(event.store, 'the event store name').not.toBe('');
        }
        expect(
          events.filter((event) => event.id === outcome.healthy),
          'onCorruptData calls for the healthy session',
        ).toEqual([]);
      },
    );

    ctx.test(
      'an onCorruptData that throws fails neither the listing nor the store',
      { configure: true, inspector: 'corrupt' },
      async (t) => {
        const store = await configuredStore(ctx, {
          onCorruptData: () => {
            throw new Error('a broken logger (thrown on purpose by the conformance suite)');
          },
        });
        const outcome = await listWithCorrupt(store, t);
        if (!outcome) return;
        const id = randomId();
        expect((await store.create(id, makeRecord())).ok, 'a create afterwards').toBe(true);
      },
    );

    ctx.test(
      `without onCorruptData, a skipped corrupt session is a process warning (${WARNING_CODE})`,
      { configure: true, inspector: 'corrupt' },
      async (t) => {
        const warnings: Array<Error & { code?: string }> = [];
        const onWarning = (warning: Error) => warnings.push(warning);
        process.on('warning', onWarning);
        try {
          const store = await configuredStore(ctx, {});
          const outcome = await listWithCorrupt(store, t);
          if (!outcome) return;
          // process.emitWarning emits on the next tick.
          await new Promise<void>((resolve) => setImmediate(resolve));
          expect(
            warnings.filter((warning) => warning.code === WARNING_CODE).length,
            `process warnings with code ${WARNING_CODE}`,
          ).toBeGreaterThan(0);
        } finally {
          process.off('warning', onWarning);
        }
      },
    );
  });
}
