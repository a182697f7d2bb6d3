import { describeStore } from '@hallpass/conformance';
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
    factory: () => new MysqlStore({ uri: databaseUrl(database) }),
    inspect: (store) => tableInspector(admin, store.tableName),
    expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
    // Writing the short-lived sessions of a test takes round trips; on a busy CI machine
    // 300 ms is not always enough to write them all before they are due to expire.
    timing: { expiryMs: 1_000 },
    additionalTests: (ctx) => mysqlSpecificTests(ctx, { admin, database }),
  });
});
