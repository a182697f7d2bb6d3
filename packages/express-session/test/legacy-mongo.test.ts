import MongoStore from 'connect-mongo';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoWireServer } from '../../mongodb/test/server/index.js';
import { connectMongoReader } from '../src/index.js';
import { describeLegacyImport } from './support/legacy-scenario.js';
import { uniqueName } from './support/servers.js';

// No mongod on this machine: connect-mongo writes through the official driver to the
// in-repo MongoDB wire-protocol test server (packages/mongodb/test/server), as the demo does.
type MongoSession = { _id: string; session?: unknown; expires?: Date };

const server = new MongoWireServer();
let url = '';
beforeAll(async () => {
  url = await server.start();
});
afterAll(() => server.stop());

describeLegacyImport('connect-mongo (on the MongoDB wire test server)', true, async () => {
  const client = await MongoClient.connect(url);
  const dbName = uniqueName('mongo');
  const store = MongoStore.create({ client, dbName, autoRemove: 'disabled' });
  const collection = client.db(dbName).collection<MongoSession>('sessions');
  return {
    store,
    reader: connectMongoReader({ collection }),
    holds: async (sid) => (await collection.countDocuments({ _id: sid })) === 1,
    async cleanup() {
      await client.db(dbName).dropDatabase();
      await client.close();
    },
  };
});

describe('connectMongoReader', () => {
  it('reads stringified and plain sessions, and connect-mongo expiry', async () => {
    const client = await MongoClient.connect(url);
    const dbName = uniqueName('mongo');
    const collection = client.db(dbName).collection<MongoSession>('sessions');
    try {
      await collection.insertMany([
        {
          _id: 'text',
          session: JSON.stringify({ cookie: {}, a: 1 }),
          expires: new Date(Date.now() + 60_000),
        },
        { _id: 'plain', session: { cookie: {}, b: 2 } },
        { _id: 'old', session: '{"cookie":{}}', expires: new Date(Date.now() - 60_000) },
      ]);
      const reader = connectMongoReader({ collection });
      expect(await reader.take('text')).toEqual({ session: { cookie: {}, a: 1 }, expired: false });
      expect(await reader.read('plain')).toEqual({ session: { cookie: {}, b: 2 }, expired: false });
      expect(await reader.take('old')).toMatchObject({ expired: true });
      expect(await collection.countDocuments({})).toBe(1);
    } finally {
      await client.db(dbName).dropDatabase();
      await client.close();
    }
  });
});
