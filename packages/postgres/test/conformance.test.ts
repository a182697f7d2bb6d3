import { describeStore } from '@hallpass/conformance';
import { freePort } from '@hallpass/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { tableInspector } from './support/inspector.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from './support/postgres.js';
import { postgresSpecificTests } from './support/specific.js';

const available = await postgresAvailable();
const schema = uniqueSchema();
// The same server address with a port nobody listens on: a database that is down.
const downUrl = new URL(POSTGRES_URL);
downUrl.port = String(await freePort());

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
    factory: ({ clock }) => new PostgresStore({ connectionString: POSTGRES_URL, schema, clock }),
    // The kit's standard options, as a user passes them.
    configure: (options) =>
      new PostgresStore({ connectionString: POSTGRES_URL, schema, ...options }),
    inspect: (store) => tableInspector(admin, store.tableName),
    expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
    // The store's cleanup timer is the only thing that removes rows: run it often here.
    backendExpiry: {
      withinMs: 2_000,
      factory: ({ clock }) =>
        new PostgresStore({
          connectionString: POSTGRES_URL,
          schema,
          clock,
          cleanupIntervalMs: 100,
        }),
    },
    unavailable: {
      factory: ({ clock }) =>
        new PostgresStore({ connectionString: downUrl.href, schema, clock, cleanupIntervalMs: 0 }),
    },
    additionalTests: (ctx) => postgresSpecificTests(ctx, { admin, schema }),
  });
});
