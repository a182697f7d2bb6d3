import { makeRecord, randomId, randomUserId } from '@hallpass/conformance';
import { SessionManager } from '@hallpass/core';
import { REDIS_URL } from '@hallpass/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { connectNodeRedis } from './support/clients.js';
import { deleteKeys } from './support/inspector.js';
import { standaloneReachable } from './support/missing-server.js';
import { uniquePrefix } from './support/prefix.js';

/** What the test needs of a client: commands go through `sendCommand`, which it counts. */
interface Counted {
  client: { sendCommand: (...args: never[]) => unknown };
  ping(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Round trips per request through the public API, counted at the client: every command the
 * store's client sends goes through `sendCommand` (auto-pipelined and pipelined ones too, when
 * their batch is flushed), and commands sent in the same event-loop turn travel together, so
 * each turn with at least one command is one round trip.
 */
function countRoundTrips(client: Counted['client']): { readonly count: number; reset(): void } {
  let count = 0;
  let pending = false;
  const send = client.sendCommand.bind(client) as (...args: unknown[]) => unknown;
  client.sendCommand = ((...args: unknown[]) => {
    if (!pending) {
      pending = true;
      count++;
      setImmediate(() => {
        pending = false;
      });
    }
    return send(...args);
  }) as Counted['client']['sendCommand'];
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
  };
}

/** The two clients the store takes; the benchmark runs hallpass on both. */
const CLIENTS: Array<[string, () => Promise<Counted>]> = [
  [
    // The same options the store gives a client it creates itself (auto-pipelining on).
    'ioredis',
    async () => {
      const client = new Redis(REDIS_URL, { enableAutoPipelining: true });
      return { client, ping: () => client.ping(), close: async () => client.disconnect() };
    },
  ],
  [
    'node-redis',
    async () => {
      const client = await connectNodeRedis(REDIS_URL);
      return { client, ping: () => client.ping(), close: async () => client.destroy() };
    },
  ],
];

if (await standaloneReachable('redis round trips')) {
  describe.each(CLIENTS)('redis round trips per request (%s)', (name, connect) => {
    const prefix = uniquePrefix(`round_trips_${name}`);
    const admin = new Redis(REDIS_URL);
    let own: Counted;
    let store: RedisStore;
    let counter: ReturnType<typeof countRoundTrips>;
    let manager: SessionManager;

    beforeAll(async () => {
      own = await connect();
      store = new RedisStore({ client: own.client as never, prefix });
      counter = countRoundTrips(own.client);
      manager = new SessionManager({
        store,
        lifetime: '1d',
        cookie: { name: 'sid', secure: false },
      });
    });

    afterAll(async () => {
      await store.close();
      await own.close();
      await deleteKeys(admin, `${prefix}:*`);
      admin.disconnect();
    });

    async function signedIn(): Promise<string> {
      const session = await manager.load(undefined);
      await session.signIn(`user-${Math.random()}`);
      session.put('counter', 0);
      await session.commit();
      return `sid=${session.token}`;
    }

    async function request(
      cookie: string,
      change: (s: { put(k: string, v: unknown): void }) => void,
    ) {
      await own.ping(); // connected and scripts warm: only the request's own trips count
      counter.reset();
      const session = await manager.load(cookie);
      expect(session.userId).not.toBeNull();
      change(session as unknown as { put(k: string, v: unknown): void });
      await session.commit();
      return counter.count;
    }

    it('a signed-in read + write request is 2 round trips: one read, one write', async () => {
      const cookie = await signedIn();
      await request(cookie, (s) => s.put('counter', 1)); // loads the update script once
      for (let i = 2; i < 5; i++) {
        expect(await request(cookie, (s) => s.put('counter', i))).toBe(2);
      }
    });

    it('a signed-in read-only request is 1 round trip', async () => {
      const cookie = await signedIn();
      expect(await request(cookie, () => {})).toBe(1);
    });

    it('a sign-in is at most 2 round trips', async () => {
      await signedIn(); // loads the index script once
      counter.reset();
      await signedIn();
      expect(counter.count).toBeGreaterThan(0);
      expect(counter.count).toBeLessThanOrEqual(2);
    });

    it('a signed-in create sends the user index entry and the session in 1 round trip', async () => {
      const userId = randomUserId();
      await store.create(randomId(), makeRecord({ userId }));
      counter.reset();
      expect((await store.create(randomId(), makeRecord({ userId }))).ok).toBe(true);
      expect(counter.count).toBe(1);
    });
  });
}
