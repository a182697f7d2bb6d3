import { backendAvailable, POSTGRES_URL, uniqueName } from '@hallpass/test-support';
import pg from 'pg';
import { PostgresStore, type PostgresStoreOptions } from '../../src/index.js';

export { POSTGRES_URL };

/** Whether the server answers (under CI=true it must). */
export const postgresAvailable = () => backendAvailable('postgres', '@hallpass/postgres');

/** A schema of its own for one test file, so runs never see each other's rows. */
export const uniqueSchema = () => uniqueName('test');

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A store on the test server in `schema`, creating its table; background cleanup off. */
export function testStore(
  schema: string,
  options: Partial<PostgresStoreOptions> = {},
): PostgresStore {
  return new PostgresStore({
    connectionString: POSTGRES_URL,
    schema,
    ensureSchema: true,
    cleanupIntervalMs: 0,
    ...options,
  });
}
