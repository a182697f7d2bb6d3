import { describeStore } from '@hallpass/conformance';
import { freePort } from '@hallpass/test-support';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe } from 'vitest';
import { MysqlStore } from '../src/index.js';
import { tableInspector } from './support/inspector.js';
import {
  createDatabase,
  databaseUrl,
  dropDatabase,
  mysqlAvailable,
  uniqueDatabase,
} from './support/mysql.js';
import { mysqlSpecificTests } from './support/specific.js';

const available = await mysqlAvailable();
const database = uniqueDatabase();
// The same server address with a port nobody listens on: a database that is down.
const downUrl = new URL(databaseUrl(database));
downUrl.port = String(await freePort());

describe.skipIf(!available)('@hallpass/mysql', () => {
  const admin = mysql.createPool({ uri: databaseUrl(database), connectionLimit: 2 });

  beforeAll(async () => {
    await createDatabase(database);
    const setup = new MysqlStore({ uri: databaseUrl(database), cleanupIntervalMs: 0 });
    await setup.ensureSchema();
    await setup.close();
  });
  afterAll(async () => {
    await admin.end();
    await dropDatabase(database);
  });

  describeStore({
    name: 'mysql',
    factory: ({ clock }) => new MysqlStore({ uri: databaseUrl(database), clock }),
    // The kit's standard options, as a user passes them.
    configure: (options) => new MysqlStore({ uri: databaseUrl(database), ...options }),
    inspect: (store) => tableInspector(admin, store.tableName),
    expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
    // The store's cleanup timer is the only thing that removes rows: run it often here.
    backendExpiry: {
      withinMs: 2_000,
      factory: ({ clock }) =>
        new MysqlStore({ uri: databaseUrl(database), clock, cleanupIntervalMs: 100 }),
    },
    unavailable: {
      factory: ({ clock }) => new MysqlStore({ uri: downUrl.href, clock, cleanupIntervalMs: 0 }),
    },
    additionalTests: (ctx) => mysqlSpecificTests(ctx, { admin, database }),
  });
});
