import { createServer } from 'node:net';
import { describeStore } from '@hallpass/conformance';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { MongoStore } from '../src/index.js';
import { MongoWireServer } from './server/index.js';
import { collectionInspector } from './support/inspector.js';
import { mongoSpecificTests } from './support/specific.js';
import { resolveTargets, uniqueDatabase } from './support/targets.js';

const targets = await resolveTargets();

/** A port nobody listens on (taken, then released): a server that is down. */
const nobody = await new Promise<number>((resolve, reject) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
  server.on('error', reject);
});

// The real-time TTL tests need a TTL monitor that runs often; mongod's runs every 60 s, so they
// use a wire test server of their own (the main one keeps mongod's lazy 60 s, which the
// "expired but not yet removed" tests rely on).
const ttlServer = new MongoWireServer({ ttlMonitorIntervalMs: 200 });
const ttlClient = new MongoClient(await ttlServer.start(), { serverSelectionTimeoutMS: 3_000 });
afterAll(async () => {
  await ttlClient.close();
  await ttlServer.stop();
});

for (const target of targets) {
  describe(`@hallpass/mongodb on the ${target.label}`, () => {
    const databaseName = uniqueDatabase();
    // One application-owned client shared by every store, as in an app: the stores must
    // never close it (close() of each test's store would break the next test if they did).
    const client = new MongoClient(target.url, { serverSelectionTimeoutMS: 3_000 });

    beforeAll(async () => {
      await client.connect();
    });
    afterAll(async () => {
      await client.db(databaseName).dropDatabase();
      await client.close();
      await target.stop();
    });

    describeStore({
      name: `mongodb (${target.label})`,
      storeName: 'mongodb',
      factory: ({ clock }) => new MongoStore({ client, databaseName, clock }),
      // The kit's standard options, as a user passes them (no cleanup: the TTL index expires).
      configure: (options) => new MongoStore({ client, databaseName, ...options }),
      inspect: (store) => collectionInspector(store.collection),
      expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
      // On a real mongod the TTL monitor runs once a minute: too slow for these tests.
      ...(target.server && {
        backendExpiry: {
          withinMs: 1_500,
          factory: ({ clock }) => new MongoStore({ client: ttlClient, databaseName, clock }),
        },
      }),
      // A client the store builds from a URL has bounded waits (serverSelectionTimeoutMS 2 s).
      unavailable: {
        factory: ({ clock }) =>
          new MongoStore({ url: `mongodb://127.0.0.1:${nobody}`, databaseName, clock }),
      },
      additionalTests: (ctx) => mongoSpecificTests(ctx, { client, databaseName, target }),
    });
  });
}
