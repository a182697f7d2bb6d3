import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore, type PostgresStoreOptions } from '../../src/index.js';

/** The server the tests use: the machine's PostgreSQL unless HALLPASS_POSTGRES_URL says otherwise. */
export const POSTGRES_URL =
  process.env.HALLPASS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const HOW_TO_START =
  'start PostgreSQL (e.g. `pg_ctlcluster --skip-systemctl-redirect 15 main start`) or point HALLPASS_POSTGRES_URL at a server';

/**
 * Whether the server answers. Under CI=true an unreachable server throws (the run fails with
 * instructions); elsewhere the caller skips with the reason.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    const reason = `PostgreSQL is not reachable at ${POSTGRES_URL}: ${String(error)}`;
    if (process.env.CI === 'true') throw new Error(`${reason}; ${HOW_TO_START}`);
    console.warn(`skipping @hallpass/postgres tests: ${reason}; ${HOW_TO_START}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A schema of its own for one test file, so runs never see each other's rows. */
export function uniqueSchema(): string {
  return `hallpass_test_${randomBytes(6).toString('hex')}`;
}

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
