import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { MysqlStore, type MysqlStoreOptions } from '../../src/index.js';

/** The server the tests use: the machine's MariaDB unless HALLPASS_MYSQL_URL says otherwise. */
export const MYSQL_URL = process.env.HALLPASS_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

const HOW_TO_START =
  'start MariaDB (e.g. `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`) or point HALLPASS_MYSQL_URL at a MySQL/MariaDB server';

/**
 * Whether the server answers. Under CI=true an unreachable server throws (the run fails with
 * instructions); elsewhere the caller skips with the reason.
 */
export async function mysqlAvailable(): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3_000 });
    await connection.query('SELECT 1');
    await connection.end();
    return true;
  } catch (error) {
    const reason = `MySQL/MariaDB is not reachable at ${MYSQL_URL}: ${String(error)}`;
    if (process.env.CI === 'true') throw new Error(`${reason}; ${HOW_TO_START}`);
    console.warn(`skipping @hallpass/mysql tests: ${reason}; ${HOW_TO_START}`);
    return false;
  }
}

/** A database of its own for one test file, so runs never see each other's rows. */
export function uniqueDatabase(): string {
  return `hallpass_test_${randomBytes(6).toString('hex')}`;
}

/** The test server's URL with another database. */
export function databaseUrl(database: string): string {
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createDatabase(database: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: MYSQL_URL });
  try {
    await connection.query(`CREATE DATABASE \`${database}\``);
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(database: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: MYSQL_URL });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}

/** A store on the test server in `database`, creating its table; background cleanup off. */
export function testStore(database: string, options: Partial<MysqlStoreOptions> = {}): MysqlStore {
  return new MysqlStore({
    uri: databaseUrl(database),
    ensureSchema: true,
    cleanupIntervalMs: 0,
    ...options,
  });
}
