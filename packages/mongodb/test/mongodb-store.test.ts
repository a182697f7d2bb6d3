import { describeStore } from '@hallpass/conformance';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { MongoStore } from '../src/index.js';
import { collectionInspector } from './support/inspector.js';
import { mongoSpecificTests } from './support/specific.js';
import { resolveTargets, uniqueDatabase } from './support/targets.js';

const targets = await resolveTargets();

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
      factory: () => new MongoStore({ client, databaseName }),
      inspect: (store) => collectionInspector(store.collection),
      expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
      // The wire test server runs in the test's own process, so every round trip shares one
      // event loop with the driver and the suite: on a busy 2-core CI machine writing the
      // iteration test's 200 short-lived sessions took longer than the default 300 ms.
      timing: { expiryMs: 1_000 },
      additionalTests: (ctx) => mongoSpecificTests(ctx, { client, databaseName, target }),
    });
  });
}
