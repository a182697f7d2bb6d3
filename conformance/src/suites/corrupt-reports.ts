import diagnosticsChannel from 'node:diagnostics_channel';
import type { IterableStore, UserIndexStore } from '@hallpass/core';
import { supports } from '@hallpass/core';
import { expect } from 'vitest';
import type { SuiteContext } from '../context.js';
import { collect, makeRecord, makeUpdate, randomId, randomUserId } from '../fixtures.js';

/** Where the kit's stores publish the entries a listing skipped as unreadable. */
const CORRUPT_DATA_CHANNEL = 'hallpass:store:corrupt-data';

interface Report {
  store?: unknown;
  id?: unknown;
  error?: unknown;
}

/** Records what is published on the corrupt-data channel while `work` runs. */
async function reportsDuring(work: () => Promise<void>): Promise<Report[]> {
  const reports: Report[] = [];
  const listener = (message: unknown) => reports.push(message as Report);
  diagnosticsChannel.subscribe(CORRUPT_DATA_CHANNEL, listener);
  try {
    await work();
  } finally {
    diagnosticsChannel.unsubscribe(CORRUPT_DATA_CHANNEL, listener);
  }
  return reports;
}

/**
 * Corrupt data, the reporting side. A store may report entries it skips on the
 * `hallpass:store:corrupt-data` diagnostics channel (the kit's stores do; others publish
 * nothing and pass trivially). A report is an alarm for operators, so sessions the store wrote
 * itself, live, updated, expired or deleted, must never raise one, and a report must say which
 * store and which session it is about.
 */
export function corruptReportsSuite(ctx: SuiteContext): void {
  ctx.group('corrupt-data reports', () => {
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

        const reports = await reportsDuring(async () => {
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
        // A shared backend may hold earlier tests' corrupt entries: reports naming another
        // valid session id are theirs. One naming ours, or no session at all, is this test's.
        const wrong = reports.filter(
          (report) => typeof report.id !== 'string' || ours.has(report.id),
        );
        expect(wrong, 'corrupt-data reports about healthy sessions').toEqual([]);
      },
    );

    ctx.test(
      'a report of a skipped corrupt session names the store and the session',
      { inspector: 'corrupt', requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        const raw = await ctx.inspector();
        const userId = randomUserId();
        const id = randomId();
        await store.create(id, makeRecord({ userId }));
        await raw.corrupt?.(id);
        const reports = await reportsDuring(async () => {
          await store.listByUser(userId);
        });
        for (const report of reports.filter((r) => r.id === id)) {
          expect(typeof report.store, 'report.store').toBe('string');
          expect(report.store, 'report.store').not.toBe('');
          expect(report.error, 'report.error').toBeInstanceOf(Error);
        }
        await store.delete(id);
      },
    );
  });
}
