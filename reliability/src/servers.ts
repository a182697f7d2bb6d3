import { randomBytes } from 'node:crypto';
import {
  backendUnreachable,
  MYSQL_URL,
  POSTGRES_URL,
  REDIS_URL,
  serversRequired,
} from '@hallpass/test-support';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** The machine's shared servers; the tests only ever use their own schema / key prefix on them. */
export { HOW_TO_START, MYSQL_URL, POSTGRES_URL, REDIS_URL } from '@hallpass/test-support';

/** A name no other run uses: schema, key prefix, database, file. */
export function uniqueName(label: string): string {
  return `hallpass_rel_${label}_${randomBytes(5).toString('hex')}`;
}

/** Why the server does not answer (undefined when it does). */
export const postgresReachable = (url?: string) => backendUnreachable('postgres', url);
export const mysqlReachable = (url?: string) => backendUnreachable('mysql', url);
export const redisReachable = (url?: string) => backendUnreachable('redis', url);

/** Runs one statement on the shared MySQL server (creating or dropping a run's database). */
export async function mysqlAdmin(sql: string, url = MYSQL_URL): Promise<void> {
  const connection = await mysql.createConnection({ uri: url });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

/** The shared server's URL with another database. */
export function mysqlDatabaseUrl(database: string, url = MYSQL_URL): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * What a test does when a server it needs is missing: under CI=true that fails the run with
 * the way to start it; elsewhere the test is skipped with the reason.
 */
export function missingServer(reason: string, howToStart: string): string {
  const message = `${reason}; ${howToStart}`;
  if (serversRequired()) throw new Error(message);
  console.warn(`skipping: ${message}`);
  return message;
}

export async function dropPostgresSchema(schema: string, url = POSTGRES_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function deleteRedisPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
