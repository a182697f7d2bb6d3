import diagnosticsChannel from 'node:diagnostics_channel';
import {
  CorruptDataError,
  type IterableStore,
  supports,
  type UserIndexStore,
} from '@hallpass/core';
import { expect } from 'vitest';
import type { SuiteContext } from '../context.js';
import {
  collect,
  makeRecord,
  makeUpdate,
  randomId,
  randomUserId,
  withCorruptNeighbour,
} from '../fixtures.js';

/** Where stores publish the sessions their listings skip (`corruptDataChannel` in core). */
export const CORRUPT_DATA_CHANNEL = 'hallpass:store:corrupt-data';

interface Published {
  store?: unknown;
  id?: unknown;
  error?: unknown;
}

/** Collects what is published on the corrupt-data channel while `read` runs. */
async function publishedDuring<T>(
  read: () => Promise<T>,
): Promise<{ result: T | CorruptDataError; events: Published[] }> {
  const events: Published[] = [];
  const onMessage = (message: unknown) => events.push(message as Published);
  diagnosticsChannel.subscribe(CORRUPT_DATA_CHANNEL, onMessage);
  try {
    try {
      return { result: await read(), events };
    } catch (error) {
      if (error instanceof CorruptDataError) return { result: error, events };
      throw error;
    }
  } finally {
    diagnosticsChannel.unsubscribe(CORRUPT_DATA_CHANNEL, onMessage);
  }
}

/**
 * Corrupt data, reporting: a listing (listByUser, iterate) may not fail as a whole because one
 * stored session cannot be read. It skips that session, and a skipped session is never silent:
 * it is published on the `hallpass:store:corrupt-data` diagnostics channel as
 * `{ store, id, error: CorruptDataError }`, so an operator sees the row to repair. (A store that
 * reads the damaged entry as a well-formed session, garbage bytes for instance, lists it.)
 * A report is an alarm for operators: sessions the store wrote itself, live, updated, expired or
 * deleted, never raise one, and a report names the store and the session.
 */
export function corruptDataReportingSuite(ctx: SuiteContext): void {
  /** Checks a listing of `id` (corrupted) and `healthy` against the rule. */
  const expectSkippedAndReported = (
    what: string,
    listed: readonly { id: string }[] | CorruptDataError,
    events: readonly Published[],
    id: string,
    healthy: string,
  ) => {
    if (listed instanceof CorruptDataError) return;
    const ids = listed.map((session) => session.id);
    expect(ids, `${what}: the healthy session`).toContain(healthy);
    if (ids.includes(id)) return;
    const reported = events.filter((event) => event.id === id);
    expect(
      reported.length,
      `${what} skipped the corrupt session without publishing it on ${CORRUPT_DATA_CHANNEL}`,
    ).toBeGreaterThan(0);
    for (const event of reported) {
      expect(event.error, `${what}: the published error`).toBeInstanceOf(CorruptDataError);
      expect(typeof event.store, `${what}: the published store name`).toBe('string');
      expect(event.store, `${what}: the published store name`).not.toBe('');
    }
  };

  ctx.group('corrupt data reporting', () => {
    ctx.test(
      'listByUser skips a corrupt session and publishes it on the corrupt-data channel',
      { inspector: 'corrupt', requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        const inspector = await ctx.inspector();
        const userId = randomUserId();
        await withCorruptNeighbour(
          store,
          (id) => inspector.corrupt!(id),
          userId,
          async ({ id, healthy }) => {
            const { result, events } = await publishedDuring(() => store.listByUser(userId));
            expectSkippedAndReported('listByUser', result, events, id, healthy);
          },
        );
      },
    );

    ctx.test(
      'iterate skips a corrupt session and publishes it on the corrupt-data channel',
      { inspector: 'corrupt', requires: ['iterate'] },
      async () => {
        const store = ctx.store as IterableStore;
        const inspector = await ctx.inspector();
        await withCorruptNeighbour(
          store,
          (id) => inspector.corrupt!(id),
          null,
          async ({ id, healthy }) => {
            const { result, events } = await publishedDuring(() => collect(store.iterate()));
            expectSkippedAndReported('iterate', result, events, id, healthy);
          },
        );
      },
    );

    ctx.test(
      'reading sessions the store wrote itself reports no corrupt data (listByUser, iterate, deleteByUser)',
      { controlledClock: true },
      async () => {
        const store = ctx.store;
        const userId = randomUserId();
        const ours = new Set<string>();
        const expiresAt = ctx.clock.now() + ctx.timing.expiryMs;
        const write = async (record = makeRecord({ userId })) => {
          const id = randomId();
          ours.add(id);
          await store.create(id, record);
          return id;
        };
        for (let i = 0; i < 4; i++) await write();
        await store.update(await write(), makeUpdate({ userId }));
        await store.delete(await write());
        // Expired, and not read since: a listing is the first call to meet them.
        for (let i = 0; i < 3; i++) await write(makeRecord({ userId, expiresAt }));
        ctx.clock.pin(expiresAt);

        const { result, events: reports } = await publishedDuring(async () => {
          if (supports(store, 'userIndex')) {
            expect(await (store as UserIndexStore).listByUser(userId)).toHaveLength(5);
          }
          if (supports(store, 'iterate')) {
            const iterable = store as IterableStore;
            const all = await collect(iterable.iterate());
            expect(all.filter((session) => ours.has(session.id))).toHaveLength(5);
            // Pages of a few sessions, when the backend holds few (a shared one may hold
            // thousands from the load tests: one round trip each would take minutes).
            for (const pageSize of all.length <= 50 ? [1, 2, 3] : []) {
              const listed = await collect(iterable.iterate({ pageSize }));
              expect(listed.filter((session) => ours.has(session.id))).toHaveLength(5);
            }
          }
          if (supports(store, 'userIndex')) {
            expect(await (store as UserIndexStore).deleteByUser(userId)).toBe(5);
          }
        });
        expect(result, 'a listing of healthy sessions').not.toBeInstanceOf(CorruptDataError);
        // A shared backend may hold earlier tests' corrupt entries: reports naming another
        // valid session id are theirs. One naming ours, or no session at all, is this test's.
        const wrong = reports.filter(
          (report) => typeof report.id !== 'string' || ours.has(report.id),
        );
        expect(wrong, 'corrupt-data reports about healthy sessions').toEqual([]);
      },
    );
  });
}
