import type { Store, TouchableStore } from '@hallpass/core';
import { expect } from 'vitest';
import { beforeDeadline } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, randomId, randomUserId, sleep, waitUntil } from '../fixtures.js';
import type { RawEntry, RawInspector } from '../types.js';
import { entriesMentioning } from './raw-inspection.js';

/** How long the sessions of these tests live, in real time: long enough to write them first. */
const ROUNDING_ATTEMPTS = 5;
const LIFETIME_MS = 1_000;
/** How far ahead of real time the "clock runs ahead" test sets the store's clock. */
const AHEAD_MS = 10 * 60_000;
const POLL_MS = 50;

/**
 * The only tests that run in real time (opt-in with `backendExpiry`): the backend itself removes
 * expired sessions (Redis PXAT, a MongoDB TTL index, a SQL store's cleanup timer), and never
 * before `expiresAt` by real time when the store's clock runs ahead.
 */
export function backendExpirySuite(ctx: SuiteContext): void {
  const { backendExpiry, inspect } = ctx.options;
  const withinMs = backendExpiry?.withinMs ?? 0;
  const timeout = ctx.timing.testTimeoutMs + LIFETIME_MS + withinMs;

  /** A store on `clock` from backendExpiry.factory (or factory), and its inspector. */
  const open = async (clock: () => number): Promise<{ store: Store; raw: RawInspector }> => {
    const factory = backendExpiry?.factory ?? ctx.options.factory;
    const store = await factory({ clock });
    ctx.closeAfterTest(store);
    if (!inspect) throw new Error('no inspect option was given to describeStore');
    return { store, raw: await inspect(store) };
  };

  const mentioning = (entries: RawEntry[], ids: string[]) =>
    ids.flatMap((id) => entriesMentioning(entries, id));

  ctx.group('backend-native expiry (real time)', () => {
    ctx.test(
      'the backend removes every entry of an expired session by itself',
      { backendExpiry: true, timeout },
      async () => {
        const { store, raw } = await open(Date.now);
        const expiresAt = Date.now() + LIFETIME_MS;
        const ids = [randomId(), randomId()];
        await store.create(ids[0] as string, makeRecord({ expiresAt }));
        await store.create(ids[1] as string, makeRecord({ expiresAt, userId: randomUserId() }));
        for (const id of ids) {
          expect(
            entriesMentioning(await raw.entries(), id).length,
            beforeDeadline(`entries of ${id} before its expiry`, expiresAt, Date.now()),
          ).toBeGreaterThan(0);
        }
        await waitUntil(expiresAt);
        // Poll the backend only: a read through the store could delete the entries itself.
        const deadline = expiresAt + withinMs;
        let left = mentioning(await raw.entries(), ids);
        while (left.length > 0 && Date.now() < deadline) {
          await sleep(POLL_MS);
          left = mentioning(await raw.entries(), ids);
        }
        expect(
          left.map((entry) => entry.key),
          `entries still in the backend ${withinMs}ms after the expiry (backendExpiry.withinMs)`,
        ).toEqual([]);
      },
    );

    ctx.test(
      'the backend keeps a session until its expiresAt to the millisecond, not rounded to seconds',
      { backendExpiry: true, timeout: timeout + ROUNDING_ATTEMPTS * 2 * LIFETIME_MS },
      async (t) => {
        const { store, raw } = await open(Date.now);
        // A check that ends after expiresAt proves nothing (the session may rightly be gone):
        // such an attempt, on a machine too busy to read in time, is repeated with a new session.
        let late = 0;
        for (let attempt = 0; attempt < ROUNDING_ATTEMPTS; attempt++) {
          const id = randomId();
          // 499 ms past a whole second: rounding to whole seconds (EXPIREAT, a seconds TTL, a
          // seconds column) ends it 499 ms early, and so does truncating.
          const expiresAt = Math.ceil((Date.now() + LIFETIME_MS) / 1_000) * 1_000 + 499;
          await store.create(id, makeRecord({ expiresAt }));
          // 450 ms before it: 49 ms after a rounded expiry, leaving the inspector 450 ms to read
          // (a cluster inspector scans every node).
          await waitUntil(expiresAt - 450);
          const found = entriesMentioning(await raw.entries(), id).length;
          const readAt = Date.now();
          await store.delete(id);
          if (readAt < expiresAt) {
            expect(
              found,
              `entries of a session read ${expiresAt - readAt} ms before its expiresAt (${expiresAt})`,
            ).toBeGreaterThan(0);
            return;
          }
          late = readAt - expiresAt;
        }
        // Inconclusive, not passed: reported as a skip with the reason (a store that rounds is
        // still caught wherever one read ends in time, as the self-test's one-bug store shows).
        t.skip(
          `${ROUNDING_ATTEMPTS} reads of the backend each ended after the session's expiresAt ` +
            `(the last ${late} ms after it): the machine was too busy for this real-time check`,
        );
      },
    );

    ctx.test(
      'after a touch, the backend keeps the session past its original expiresAt',
      { backendExpiry: true, requires: ['touch'], timeout: timeout + LIFETIME_MS },
      async () => {
        const { store, raw } = await open(Date.now);
        const id = randomId();
        const expiresAt = Date.now() + LIFETIME_MS;
        // Anonymous: a per-user index entry would still mention the id after the session's own.
        await store.create(id, makeRecord({ expiresAt }));
        const touched = await (store as TouchableStore).touch(
          id,
          expiresAt + 10 * (LIFETIME_MS + withinMs),
          Date.now(),
        );
        expect(touched, beforeDeadline('touch before the expiry', expiresAt, Date.now())).toBe(
          true,
        );
        await waitUntil(expiresAt + withinMs);
        expect(
          entriesMentioning(await raw.entries(), id).length,
          `entries of the touched session ${withinMs}ms after its original expiry`,
        ).toBeGreaterThan(0);
        await store.delete(id);
      },
    );

    ctx.test(
      'on a clock ahead of real time, the backend keeps a session until its expiresAt by real time',
      // A store-driven cleanup (SQL) follows the store's clock, so only native expiry qualifies.
      { backendExpiry: true, inspector: 'nativeExpiry', timeout },
      async () => {
        const ahead = () => Date.now() + AHEAD_MS;
        const { store, raw } = await open(ahead);
        const id = randomId();
        await store.create(id, makeRecord({ expiresAt: ahead() + LIFETIME_MS }));
        // Past the session's lifetime in real time: a TTL counted from the store's clock
        // instead of an absolute expiry instant would have removed it by now.
        await sleep(LIFETIME_MS + 2 * POLL_MS);
        expect(
          entriesMentioning(await raw.entries(), id).length,
          'entries of a session whose expiresAt is minutes away in real time',
        ).toBeGreaterThan(0);
        await store.delete(id);
      },
    );
  });
}
