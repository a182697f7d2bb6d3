import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MongoWireServer } from '../../../packages/mongodb/test/server/index.js';
import { openStore } from '../src/stores.ts';
import { DemoClient, flashOf, signedInAs } from './support/client.ts';
import { startTestDemo } from './support/demo.ts';

const CI = process.env.CI === 'true' || process.env.CI === '1';

interface Backend {
  name: string;
  url: string | undefined;
  howToStart: string;
  /** Starts a stand-in server when no URL is named; returns its URL and a way to stop it. */
  standIn?: () => Promise<{ url: string; stop(): Promise<void> }>;
  /** Removes everything the demo wrote under `namespace`. */
  cleanup(url: string, namespace: string): Promise<void>;
}

const BACKENDS: Backend[] = [
  {
    name: 'Redis',
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    howToStart: 'start one with `redis-server --port 6379` or set REDIS_URL',
    async cleanup(url, namespace) {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      redis.on('error', () => {}); // connect() below reports the failure
      try {
        await redis.connect();
        const keys = await redis.keys(`${namespace}:*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  },
  {
    name: 'PostgreSQL',
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    howToStart:
      'start PostgreSQL on 127.0.0.1:5432 (pg_ctlcluster 15 main start) or set DATABASE_URL',
    async cleanup(url, namespace) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP TABLE IF EXISTS "${namespace}"`);
      } finally {
        await client.end();
      }
    },
  },
  {
    name: 'MySQL',
    url: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
    howToStart:
      'start MariaDB on 127.0.0.1:3306 (start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd) or set MYSQL_URL',
    async cleanup(url, namespace) {
      const connection = await mysql.createConnection({ uri: url });
      try {
        await connection.query(`DROP TABLE IF EXISTS \`${namespace}\``);
      } finally {
        await connection.end();
      }
    },
  },
  {
    name: 'MongoDB',
    // No mongod on the CI machines: without MONGODB_URL the demo runs against the mongodb
    // package's in-process wire-protocol test server, as that package's own suite does.
    url: process.env.MONGODB_URL,
    howToStart: 'set MONGODB_URL to a MongoDB server',
    async standIn() {
      const server = new MongoWireServer();
      const url = await server.start();
      return { url, stop: () => server.stop() };
    },
    async cleanup() {
      // The sessions expire through the store's TTL index; the demo collection is left empty
      // once every session below has been destroyed.
    },
  },
];

/** Null when the demo can open its store there, else why not. */
async function reachable(url: string, namespace: string): Promise<string | null> {
  try {
    const opened = await openStore(url, '.', namespace);
    await opened.close();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe.each(BACKENDS)('demo on $name', (backend) => {
  it('two devices of one user: listed, "sign out everywhere else" ends the other', async (context) => {
    let url = backend.url;
    if (url === undefined && backend.standIn) {
      const standIn = await backend.standIn();
      context.onTestFinished(() => standIn.stop());
      url = standIn.url;
    }
    if (url === undefined) {
      context.skip(`${backend.name}: ${backend.howToStart}`);
      return;
    }
    const namespace = `hallpass_demo_${randomBytes(6).toString('hex')}`;
    // The probe may already create the table or keys: clean up after it whatever happens.
    context.onTestFinished(() => backend.cleanup(url, namespace).catch(() => {}));
    const problem = await reachable(url, namespace);
    if (problem !== null) {
      const message = `${backend.name} is not reachable (${problem}): ${backend.howToStart}`;
      if (CI) throw new Error(message);
      context.skip(message);
      return;
    }
    const demo = await startTestDemo({ store: url, namespace });
    try {
      const laptop = new DemoClient(demo.url);
      const phone = new DemoClient(demo.url);
      await laptop.signIn('alice');
      await phone.signIn('alice');
      expect(demo.storeLabel).toContain(backend.name);

      const page = await laptop.page('/sessions');
      expect(page.match(/data-session-id=/g)).toHaveLength(2);
      await laptop.post('/sessions/revoke-others', {});
      expect(flashOf(await laptop.page('/sessions'))).toBe('Signed out 1 other session.');
      expect(signedInAs(await phone.page('/'))).toBeNull();
      expect(signedInAs(await laptop.page('/'))).toBe('Alice Liddell');
      await laptop.post('/signout', {});
      expect(await demo.manager.listUserSessions('alice')).toEqual([]);
    } finally {
      await demo.close();
    }
  });
});
