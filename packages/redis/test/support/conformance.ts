import {
  type DescribeStoreOptions,
  describeStore,
  makeRecord,
  makeUpdate,
  randomId,
  randomUserId,
} from '@hallpass/conformance';
import { ConfigurationError, CorruptDataError, RecordTooLargeError } from '@hallpass/core';
import { type Cluster, Redis } from 'ioredis';
import { expect, it } from 'vitest';
import {
  type CorruptDataEvent,
  type RedisClient,
  RedisStore,
  type RedisStoreOptions,
} from '../../src/index.js';
import { corruptSession, deleteKeys, rawKeys } from './inspector.js';

export interface Target {
  /** `standalone` or `cluster`: names the suite. */
  name: string;
  /** Options reaching the target's server(s), without a prefix. */
  connection: () => RedisStoreOptions;
  /** A new client of the test's own (the store must never close such a client), connected. */
  newClient: () => Promise<OwnClient>;
  /** An ioredis client of the test's own, for raw checks and cleanup; closed by `cleanup`. */
  admin: Redis | Cluster;
  /** Runs after the suite, for the target's own resources (a shared node-redis client). */
  close?: () => Promise<void>;
  /** Options reaching no server (a port nobody listens on), for the `backend unavailable` group. */
  unreachable?: () => RedisStoreOptions;
}

/**
 * Which part of the suite a file runs against its target:
 * - `full`: every group but the real-time one, and the Redis-specific tests;
 * - `client`: the groups a second client library can break, and the Redis-specific tests;
 * - `real-time`: only the real-time group "backend-native expiry (real time)".
 */
export type Run = 'full' | 'client' | 'real-time';

const REAL_TIME_GROUP = 'backend-native expiry (real time)';

/**
 * The groups whose calls reach the client adapter in ways of their own (src/clients/): binary
 * values in and out, SET NX PXAT, the scripts' replies and NOSCRIPT fallback, the user index's
 * ZSCORE/ZREM and its ordering, SCAN over every master, corrupt values and wrong-type keys read
 * back, signals firing while a command is in flight, errors and outages, and a client the store
 * must not close. `cleanup (deleteExpired)` reaches the adapter only through creates and finds
 * (deleteExpired leaves the work to Redis's own expiry and returns 0), but it is cheap, and so
 * the list is every group but three. Every group of the suite passes with node-redis; these three
 * are left to the `full` run with ioredis only because they add no call of their own:
 * `model-based` (random mixes of the same calls these groups make, checked against a reference
 * model of the store's logic), `SessionManager over HTTP` (the manager on top of those calls)
 * and the real-time group (Redis evicts by PXAT whichever client wrote the key).
 */
const CLIENT_GROUPS = [
  'capabilities',
  'round-trip',
  'create and update',
  'expiry',
  'expiry boundary',
  'versioned update',
  'iteration',
  'per-user index',
  'per-user index: current owner',
  'version validation',
  'listing order',
  'user ids',
  'touch',
  'races',
  'abort signal',
  'abort in flight',
  'errors and input validation',
  'close',
  'raw persistence',
  'cleanup (deleteExpired)',
  'expiry boundary in the backend',
  'corrupt data reporting',
];

/** A client the test owns, whichever library it comes from. */
export interface OwnClient {
  client: RedisClient;
  /** PING through that client: whether it is still open and connected. */
  ping(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The conformance suite (the part `run` names) plus, except in the real-time run, the
 * Redis-specific tests, against one target. Everything the run writes lives under one fresh
 * prefix, deleted afterwards.
 */
export function describeRedisStore(target: Target, prefix: string, run: Run): void {
  const make = (extra: RedisStoreOptions = {}) =>
    new RedisStore({ ...target.connection(), prefix, ...extra });

  const options: DescribeStoreOptions<RedisStore> = {
    name: `redis ${target.name}`,
    storeName: 'redis',
    factory: ({ clock }) => make({ clock }),
    // The kit's standard options, as a user passes them (no cleanup: Redis expires keys).
    configure: (options) => make(options),
    expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
    // Without the option the real-time tests are reported as skipped (opt-in) in the other runs.
    ...(run === 'real-time' && {
      groups: [REAL_TIME_GROUP],
      // Redis evicts a session key at its PXAT; the per-user index key lives up to one session
      // lifetime longer (its bound, see user-index.ts), and these sessions live one second.
      backendExpiry: { withinMs: 1_500 },
    }),
    ...(run === 'client' && { groups: CLIENT_GROUPS }),
    ...(target.unreachable && {
      unavailable: {
        factory: ({ clock }) => new RedisStore({ ...target.unreachable?.(), prefix, clock }),
      },
    }),
    inspect: (store) => ({
      nativeExpiry: true,
      entries: () => rawKeys(target.admin, store),
      corrupt: (id) => corruptSession(target.admin, store, id),
    }),
    cleanup: async () => {
      try {
        await deleteKeys(target.admin, `${prefix}:*`);
      } finally {
        target.admin.disconnect();
        await target.close?.();
      }
    },
    additionalTests: (ctx) => {
      it('lays keys out as <prefix>:session:<id> and <prefix>:user:<userId>, all expiring', async () => {
        const id = randomId();
        const userId = randomUserId();
        const record = makeRecord({ userId });
        await ctx.store.create(id, record);
        const keys = (await rawKeys(target.admin, ctx.store)).filter((entry) =>
          entry.raw.includes(id),
        );
        const byKey = new Map(keys.map((entry) => [entry.key, entry]));
        const session = byKey.get(`${prefix}:session:${id}`);
        const index = byKey.get(`${prefix}:user:${userId}`);
        expect(session?.expiresAt).toBe(Math.ceil(record.expiresAt));
        expect(index?.expiresAt).toBeGreaterThanOrEqual(Math.ceil(record.expiresAt));
        expect(keys.map((entry) => entry.key).sort()).toEqual([...byKey.keys()].sort());
      });

      it('find rejects a corrupt value; update and touch report it and change nothing', async () => {
        const events: CorruptDataEvent[] = [];
        const store = make({ onCorruptData: (event) => events.push(event) });
        try {
          for (let round = 0; round < 3; round++) {
            const id = randomId();
            await store.create(id, makeRecord());
            await corruptSession(target.admin, store, id);
            await expect(store.find(id), `find, corruption ${round}`).rejects.toBeInstanceOf(
              CorruptDataError,
            );
            expect(await store.update(id, makeUpdate())).toEqual({ ok: false, reason: 'missing' });
            expect(events.at(-1)).toMatchObject({ store: 'redis', id });
            expect(events.at(-1)?.error).toBeInstanceOf(CorruptDataError);
            const reported = events.length;
            expect(await store.touch(id, Date.now() + 60_000, Date.now())).toBe(false);
            expect(events.length).toBe(reported + 1);
            expect((await store.create(id, makeRecord())).ok, 'create over corrupt').toBe(true);
            expect(await store.find(id)).not.toBeNull();
          }
        } finally {
          await store.close();
        }
      });

      it('rejects oversized data with RecordTooLargeError before writing anything', async () => {
        const store = make({ maxDataBytes: 1024 });
        try {
          const id = randomId();
          const userId = randomUserId();
          const big = makeRecord({ userId, data: new Uint8Array(1025) });
          await expect(store.create(id, big)).rejects.toBeInstanceOf(RecordTooLargeError);
          expect(
            (await rawKeys(target.admin, store)).filter((entry) => entry.raw.includes(id)),
          ).toEqual([]);
          expect((await store.create(id, makeRecord({ data: new Uint8Array(1024) }))).ok).toBe(
            true,
          );
          const before = await store.find(id);
          await expect(
            store.update(id, makeUpdate({ data: new Uint8Array(4096) })),
          ).rejects.toBeInstanceOf(RecordTooLargeError);
          expect(await store.find(id)).toEqual(before);
        } finally {
          await store.close();
        }
      });

      it('never closes a client it was given', async () => {
        const own = await target.newClient();
        try {
          const store = new RedisStore({ client: own.client, prefix });
          const id = randomId();
          await store.create(id, makeRecord());
          await store.close();
          await store.close();
          expect(await own.ping()).toBe('PONG');
          expect(await target.admin.exists(`${prefix}:session:${id}`)).toBe(1);
        } finally {
          await own.close();
        }
      });

      it('refuses a client with an ioredis keyPrefix and a prefix with a hash tag', () => {
        const client = new Redis({ keyPrefix: 'app:', lazyConnect: true });
        expect(() => new RedisStore({ client })).toThrow(ConfigurationError);
        client.disconnect();
        expect(() => make({ prefix: 'a{b}' })).toThrow(ConfigurationError);
        expect(() => make({ prefix: '' })).toThrow(ConfigurationError);
      });

      it('touching a signed-in session far beyond its index bound keeps it indexed', async () => {
        const id = randomId();
        const userId = randomUserId();
        await ctx.store.create(id, makeRecord({ userId, expiresAt: ctx.clock() + 60_000 }));
        const later = ctx.clock() + 30 * 86_400_000;
        expect(await ctx.store.touch(id, later, ctx.clock())).toBe(true);
        const index = (await rawKeys(target.admin, ctx.store)).find(
          (entry) => entry.key === `${prefix}:user:${userId}`,
        );
        expect(index?.expiresAt).toBeGreaterThanOrEqual(Math.ceil(later));
        expect((await ctx.store.listByUser(userId)).map((s) => s.id)).toEqual([id]);
        expect((await ctx.store.find(id))?.expiresAt).toBe(later);
      });

      it('a signed-in create whose index write fails leaves no session behind', async () => {
        const id = randomId();
        const userId = randomUserId();
        // A user key of the wrong type makes the index script fail after SET NX went out with it.
        await target.admin.set(`${prefix}:user:${userId}`, 'not a sorted set', 'PX', 60_000);
        await expect(ctx.store.create(id, makeRecord({ userId }))).rejects.toThrow();
        expect(await target.admin.exists(`${prefix}:session:${id}`)).toBe(0);
        expect(await ctx.store.find(id)).toBeNull();
      });

      it('updating a signed-in session within, then far beyond, its index bound keeps it indexed', async () => {
        const id = randomId();
        const userId = randomUserId();
        const indexExpiry = async () =>
          (await rawKeys(target.admin, ctx.store)).find(
            (entry) => entry.key === `${prefix}:user:${userId}`,
          )?.expiresAt;
        await ctx.store.create(id, makeRecord({ userId, expiresAt: ctx.clock() + 60_000 }));
        const first = await indexExpiry();
        // Same user, expiry inside the bound: the index is left as it is (one script call).
        const near = ctx.clock() + 30_000;
        expect((await ctx.store.update(id, makeUpdate({ userId, expiresAt: near }))).ok).toBe(true);
        expect(await indexExpiry()).toBe(first);
        // Far beyond the bound: the index entry is raised before the session is written.
        const later = ctx.clock() + 30 * 86_400_000;
        expect((await ctx.store.update(id, makeUpdate({ userId, expiresAt: later }))).ok).toBe(
          true,
        );
        expect(await indexExpiry()).toBeGreaterThanOrEqual(Math.ceil(later));
        expect((await ctx.store.listByUser(userId)).map((s) => s.id)).toEqual([id]);
        expect((await ctx.store.find(id))?.expiresAt).toBe(later);
        // And a later touch within the raised bound needs no index work either.
        expect(await ctx.store.touch(id, later - 1000, ctx.clock())).toBe(true);
        expect(await ctx.store.deleteByUser(userId)).toBe(1);
        expect(await ctx.store.find(id)).toBeNull();
      });

      it('the application clock decides: a session past its expiresAt is gone even if its key is not', async () => {
        const id = randomId();
        const userId = randomUserId();
        const expiresAt = ctx.clock() + 60_000;
        await ctx.store.create(id, makeRecord({ userId, expiresAt }));
        // The application's clock moves past expiresAt while Redis's has not: the key is still
        // there, as with a Redis clock running behind the application's.
        await ctx.advanceClock(60_020);
        expect(await target.admin.exists(`${prefix}:session:${id}`), 'the key').toBe(1);
        expect(await ctx.store.find(id)).toBeNull();
        expect(await ctx.store.listByUser(userId)).toEqual([]);
        expect(await ctx.store.update(id, makeUpdate())).toEqual({ ok: false, reason: 'missing' });
        expect(await ctx.store.touch(id, ctx.clock() + 60_000, ctx.clock())).toBe(false);
        expect((await ctx.store.create(id, makeRecord())).ok, 'create over the dead key').toBe(
          true,
        );
      });

      it('a sign-in racing revoke-all is either revoked or stays indexed, never lost', async () => {
        for (let round = 0; round < 20; round++) {
          const userId = randomUserId();
          const existing = randomId();
          const racing = randomId();
          await ctx.store.create(existing, makeRecord({ userId }));
          const [, revoked] = await Promise.all([
            ctx.store.create(racing, makeRecord({ userId })),
            ctx.store.deleteByUser(userId),
          ]);
          expect(revoked).toBeGreaterThanOrEqual(1);
          expect(await ctx.store.find(existing)).toBeNull();
          const alive = (await ctx.store.find(racing)) !== null;
          const listed = (await ctx.store.listByUser(userId)).map((s) => s.id);
          expect(listed, `round ${round}`).toEqual(alive ? [racing] : []);
          // Whatever survived, a second revoke-all reaches it.
          expect(await ctx.store.deleteByUser(userId)).toBe(alive ? 1 : 0);
          expect(await ctx.store.find(racing)).toBeNull();
        }
      });

      it('concurrent moves of one session between two users leave it in its final owner index', async () => {
        for (let round = 0; round < 20; round++) {
          const alice = randomUserId();
          const bob = randomUserId();
          const id = randomId();
          await ctx.store.create(id, makeRecord({ userId: alice }));
          await Promise.all([
            ctx.store.update(id, makeUpdate({ userId: bob })),
            ctx.store.update(id, makeUpdate({ userId: alice })),
            ctx.store.update(id, makeUpdate({ userId: bob })),
          ]);
          const owner = (await ctx.store.find(id))?.userId;
          const other = owner === alice ? bob : alice;
          expect(
            (await ctx.store.listByUser(owner!)).map((s) => s.id),
            `round ${round}`,
          ).toEqual([id]);
          expect(await ctx.store.listByUser(other)).toEqual([]);
          expect(await ctx.store.deleteByUser(owner!)).toBe(1);
        }
      });

      it('a prefix with glob characters iterates only its own keys', async () => {
        const globby = new RedisStore({ ...target.connection(), prefix: `${prefix}:g*[?]` });
        const plain = new RedisStore({ ...target.connection(), prefix: `${prefix}:gx[?]` });
        try {
          const mine = randomId();
          await globby.create(mine, makeRecord());
          await plain.create(randomId(), makeRecord());
          const yielded: string[] = [];
          for await (const session of globby.iterate()) yielded.push(session.id);
          expect(yielded).toEqual([mine]);
        } finally {
          await Promise.all([globby.close(), plain.close()]);
        }
      });

      it('a prefix like scs uses its own key space: <prefix>:session:<id>', async () => {
        const scsLike = `${prefix}:scs`;
        const store = new RedisStore({ ...target.connection(), prefix: scsLike });
        try {
          const id = randomId();
          await store.create(id, makeRecord());
          const keys = (await rawKeys(target.admin, store)).map((entry) => entry.key);
          expect(keys).toContain(`${scsLike}:session:${id}`);
        } finally {
          await store.close();
        }
      });
    },
  };
  // The real-time run is that group alone: the Redis-specific tests run in the other runs.
  describeStore(run === 'real-time' ? { ...options, additionalTests: undefined } : options);
}
