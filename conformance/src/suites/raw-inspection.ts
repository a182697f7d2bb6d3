import {
  CorruptDataError,
  type IterableStore,
  type StoredSession,
  supports,
  type TouchableStore,
  type UserIndexStore,
} from '@hallpass/core';
import { expect } from 'vitest';
import { expectLive, expectSessionShape } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId, randomUserId } from '../fixtures.js';
import type { RawEntry } from '../types.js';

/** How much earlier than a session's expiresAt the backend may expire its entries (TTL rounding). */
const NATIVE_EXPIRY_TOLERANCE_MS = 1_000;

/** The entries whose key or persisted content mention `needle` (a session id or a token). */
export function entriesMentioning(entries: readonly RawEntry[], needle: string): RawEntry[] {
  return entries.filter((entry) => entry.key.includes(needle) || entry.raw.includes(needle));
}

function describeEntries(entries: readonly RawEntry[]): string {
  return entries
    .slice(0, 3)
    .map((entry) => `${entry.key} (expires ${entry.expiresAt ?? 'never'})`)
    .join(', ');
}

/**
 * Reads the store's result for a session the inspector corrupted: null, CorruptDataError, or a
 * well-formed session (the bytes are opaque, so garbage data can come back as bytes). Anything
 * else (another error, a malformed record) fails.
 */
async function readCorrupt<T>(what: string, read: () => Promise<T>): Promise<T | CorruptDataError> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CorruptDataError) return error;
    throw new Error(`${what}: a corrupt session must read as null or CorruptDataError`, {
      cause: error,
    });
  }
}

/** What really lands in the backend, through the test author's RawInspector. */
export function rawInspectionSuite(ctx: SuiteContext): void {
  const entries = async () => (await ctx.inspector()).entries();

  ctx.group('raw persistence', () => {
    ctx.test('the inspector sees what the store writes', { inspector: 'entries' }, async () => {
      const id = randomId();
      await ctx.store.create(id, makeRecord({ userId: randomUserId() }));
      const found = entriesMentioning(await entries(), id);
      expect(found.length, `entries mentioning a session just created (${id})`).toBeGreaterThan(0);
      for (const entry of found) {
        expect(typeof entry.key, 'entry.key').toBe('string');
        expect(typeof entry.raw, 'entry.raw').toBe('string');
        if (entry.expiresAt !== null) expect(Number.isFinite(entry.expiresAt)).toBe(true);
      }
    });

    ctx.test(
      'no key lives forever: every entry has a native expiry no earlier than its session',
      { inspector: 'nativeExpiry', timeout: ctx.timing.testTimeoutMs * 2 },
      async () => {
        const store = ctx.store;
        const sessions = new Map<string, number>();
        const alice = randomUserId();
        for (const userId of [null, alice, alice, randomUserId()]) {
          const id = randomId();
          const record = makeRecord({ userId });
          await store.create(id, record);
          sessions.set(id, record.expiresAt);
        }
        const [moved, touched] = [...sessions.keys()].slice(1, 3) as [string, string];
        // An update that moves the session to another user with a later expiry.
        const changes = makeUpdate({
          userId: randomUserId(),
          expiresAt: ctx.clock.now() + 5 * 3_600_000,
        });
        await store.update(moved, changes);
        sessions.set(moved, changes.expiresAt);
        if (supports(store, 'touch')) {
          const expiresAt = ctx.clock.now() + 9 * 3_600_000;
          await (store as TouchableStore).touch(touched, expiresAt, ctx.clock.now());
          sessions.set(touched, expiresAt);
        }

        const all = await entries();
        const forever = all.filter((entry) => entry.expiresAt === null);
        expect(forever.length, `entries without expiry: ${describeEntries(forever)}`).toBe(0);
        for (const [id, expiresAt] of sessions) {
          const mine = entriesMentioning(all, id);
          expect(mine.length, `entries of session ${id}`).toBeGreaterThan(0);
          const early = mine.filter(
            (entry) => (entry.expiresAt ?? 0) < expiresAt - NATIVE_EXPIRY_TOLERANCE_MS,
          );
          expect(
            early.length,
            `entries the backend would delete before the session expires: ${describeEntries(early)}`,
          ).toBe(0);
        }
      },
    );

    ctx.test('nothing about a deleted session remains', { inspector: 'entries' }, async () => {
      const id = randomId();
      await ctx.store.create(id, makeRecord({ userId: randomUserId() }));
      await ctx.store.update(id, makeUpdate({ userId: randomUserId() }));
      expect(entriesMentioning(await entries(), id).length, 'before delete').toBeGreaterThan(0);
      await ctx.store.delete(id);
      const left = entriesMentioning(await entries(), id);
      expect(left.length, `left after delete: ${describeEntries(left)}`).toBe(0);
    });

    ctx.test(
      'nothing about revoked sessions remains after deleteByUser',
      { inspector: 'entries', requires: ['userIndex'] },
      async () => {
        const store = ctx.store as UserIndexStore;
        const userId = randomUserId();
        const ids = [randomId(), randomId(), randomId()];
        for (const id of ids) await store.create(id, makeRecord({ userId }));
        const kept = ids[1] as string;
        expect(await store.deleteByUser(userId, { except: kept })).toBe(2);
        const all = await entries();
        for (const id of ids) {
          const left = entriesMentioning(all, id);
          if (id === kept) expect(left.length, 'the kept session').toBeGreaterThan(0);
          else expect(left.length, `left after revocation: ${describeEntries(left)}`).toBe(0);
        }
      },
    );

    ctx.test(
      'a create whose expiresAt has passed persists nothing',
      { inspector: 'entries' },
      async () => {
        const id = randomId();
        await ctx.store.create(
          id,
          makeRecord({ userId: randomUserId(), expiresAt: ctx.clock.now() - 1 }),
        );
        const left = entriesMentioning(await entries(), id);
        expect(left.length, `persisted: ${describeEntries(left)}`).toBe(0);
      },
    );

    ctx.test(
      'an update whose expiresAt has passed leaves nothing behind',
      { inspector: 'entries' },
      async () => {
        const id = randomId();
        const userId = randomUserId();
        await ctx.store.create(id, makeRecord({ userId }));
        await ctx.store.update(id, makeUpdate({ userId, expiresAt: ctx.clock.now() - 1 }));
        const left = entriesMentioning(await entries(), id);
        expect(left.length, `left: ${describeEntries(left)}`).toBe(0);
      },
    );

    ctx.test(
      'a corrupt session reads as no session (null or CorruptDataError), never as a malformed record',
      { inspector: 'corrupt' },
      async () => {
        const inspector = await ctx.inspector();
        const store = ctx.store;
        const userId = randomUserId();
        const id = randomId();
        await store.create(id, makeRecord({ userId }));
        await inspector.corrupt!(id);
        try {
          const found = await readCorrupt('find', () => store.find(id));
          if (found !== null && !(found instanceof CorruptDataError)) {
            expectSessionShape(found, 'find of a corrupt session');
          }
          if (supports(store, 'userIndex')) {
            const listed = await readCorrupt('listByUser', () =>
              (store as UserIndexStore).listByUser(userId),
            );
            if (Array.isArray(listed)) {
              for (const session of listed) expectSessionShape(session, 'listed corrupt session');
            }
          }
          if (supports(store, 'iterate')) {
            const yielded = await readCorrupt('iterate', async () => {
              const all: StoredSession[] = [];
              for await (const s of (store as IterableStore).iterate()) all.push(s);
              return all;
            });
            if (Array.isArray(yielded)) {
              for (const session of yielded) {
                expectSessionShape(session, 'iterated corrupt session');
              }
            }
          }
        } finally {
          // Shared backends: leave no unreadable row for later tests to trip over.
          await store.delete(id);
        }
      },
    );

    ctx.test(
      'a corrupt session can be deleted, and its id reused',
      { inspector: 'corrupt' },
      async () => {
        const inspector = await ctx.inspector();
        const id = randomId();
        await ctx.store.create(id, makeRecord());
        await inspector.corrupt!(id);
        await ctx.store.delete(id);
        expect(await ctx.store.find(id)).toBeNull();
        const left = entriesMentioning(await inspector.entries(), id);
        expect(left.length, `left after deleting a corrupt session: ${describeEntries(left)}`).toBe(
          0,
        );
        expect((await ctx.store.create(id, makeRecord())).ok, 'create after delete').toBe(true);
        expectLive(await ctx.store.find(id));
      },
    );
  });
}
