import { backendAvailable, MYSQL_URL, uniqueName } from '@hallpass/test-support';
import mysql from 'mysql2/promise';
import { MysqlStore, type MysqlStoreOptions } from '../../src/index.js';

export { MYSQL_URL };

/** Whether the server answers (under CI=true it must). */
export const mysqlAvailable = () => backendAvailable('mysql', '@hallpass/mysql');

/** A database of its own for one test file, so runs never see each other's rows. */
export const uniqueDatabase = () => uniqueName('test');

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
