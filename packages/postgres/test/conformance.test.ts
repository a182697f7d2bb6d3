import { describeStore } from '@hallpass/conformance';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { tableInspector } from './support/inspector.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from './support/postgres.js';
import { postgresSpecificTests } from './support/specific.js';

const available = await postgresAvailable();
const schema = uniqueSchema();

describe.skipIf(!available)('@hallpass/postgres', () => {
  const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  admin.on('error', () => {});

  beforeAll(async () => {
    const setup = new PostgresStore({
      connectionString: POSTGRES_URL,
      schema,
      cleanupIntervalMs: 0,
    });
    await setup.ensureSchema();
    await setup.close();
  });
  afterAll(async () => {
    await admin.end();
    await dropSchema(schema);
  });

  describeStore({
    name: 'postgres',
    factory: () => new PostgresStore({ connectionString: POSTGRES_URL, schema }),
    inspect: (store) => tableInspector(admin, store.tableName),
    expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
    // Writing the short-lived sessions of a test takes round trips; on a busy CI machine
    // 300 ms is not always enough to write them all before they are due to expire.
    timing: { expiryMs: 1_000 },
    additionalTests: (ctx) => postgresSpecificTests(ctx, { admin, schema }),
  });
});
