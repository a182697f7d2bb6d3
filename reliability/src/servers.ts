import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** The machine's shared servers; the tests only ever use their own schema / key prefix on them. */
export const POSTGRES_URL =
  process.env.HALLPASS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.HALLPASS_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MYSQL_URL = process.env.HALLPASS_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export const HOW_TO_START = {
  postgres:
    'start PostgreSQL (`pg_ctlcluster --skip-systemctl-redirect 15 main start`) or set HALLPASS_POSTGRES_URL',
  redis:
    'start Redis (`redis-server --daemonize yes --port 6379 --save "" --appendonly no`) or set HALLPASS_REDIS_URL',
  mysql:
    'start MariaDB (`start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`) or set HALLPASS_MYSQL_URL',
} as const;

/** A name no other run uses: schema, key prefix, database, file. */
export function uniqueName(label: string): string {
  return `hallpass_rel_${label}_${randomBytes(5).toString('hex')}`;
}

export async function postgresReachable(url = POSTGRES_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL is not reachable at ${url}: ${String(error)}`;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function mysqlReachable(url = MYSQL_URL): Promise<string | undefined> {
  try {
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 3_000 });
    await connection.query('SELECT 1');
    await connection.end();
    return undefined;
  } catch (error) {
    return `MySQL/MariaDB is not reachable at ${url}: ${String(error)}`;
  }
}

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

export async function redisReachable(url = REDIS_URL): Promise<string | undefined> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch (error) {
    return `Redis is not reachable at ${url}: ${String(error)}`;
  } finally {
    probe.disconnect();
  }
}

/**
 * What a test does when a server it needs is missing: under CI=true that fails the run with
 * the way to start it; elsewhere the test is skipped with the reason.
 */
export function missingServer(reason: string, howToStart: string): string {
  const message = `${reason}; ${howToStart}`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(message);
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
