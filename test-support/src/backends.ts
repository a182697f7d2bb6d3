import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** The machine's shared servers, unless the environment points elsewhere. */
export const POSTGRES_URL =
  process.env.HALLPASS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.HALLPASS_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const REDIS_URL = process.env.HALLPASS_REDIS_URL ?? 'redis://127.0.0.1:6379';

const BACKENDS = {
  postgres: {
    label: 'PostgreSQL',
    url: POSTGRES_URL,
    howToStart:
      'start PostgreSQL (e.g. `pg_ctlcluster --skip-systemctl-redirect 15 main start`) or point HALLPASS_POSTGRES_URL at a server',
    async probe(url: string) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
      } finally {
        await client.end().catch(() => {});
      }
    },
  },
  mysql: {
    label: 'MySQL/MariaDB',
    url: MYSQL_URL,
    howToStart:
      'start MariaDB (e.g. `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`) or point HALLPASS_MYSQL_URL at a MySQL/MariaDB server',
    async probe(url: string) {
      const connection = await mysql.createConnection({ uri: url, connectTimeout: 3_000 });
      try {
        await connection.query('SELECT 1');
      } finally {
        await connection.end().catch(() => {});
      }
    },
  },
  redis: {
    label: 'Redis',
    url: REDIS_URL,
    howToStart:
      'start Redis (`redis-server --daemonize yes --port 6379 --save "" --appendonly no`) or point HALLPASS_REDIS_URL at a server',
    async probe(url: string) {
      const client = new Redis(url, {
        lazyConnect: true,
        connectTimeout: 2_000,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      try {
        await client.connect();
        const reply = await client.ping();
        if (reply !== 'PONG') throw new Error(`PING answered ${reply}`);
      } finally {
        client.disconnect();
      }
    },
  },
} as const;

export type Backend = keyof typeof BACKENDS;

/** How to start each backend (or where to point the tests instead), for failure messages. */
export const HOW_TO_START = Object.fromEntries(
  Object.entries(BACKENDS).map(([name, backend]) => [name, backend.howToStart]),
) as Record<Backend, string>;

/** Whether a missing server fails the run (CI) rather than skipping the tests that need it. */
export function serversRequired(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/**
 * Why the backend does not answer at `url` (the machine's server unless given), or undefined
 * when it does.
 */
export async function backendUnreachable(
  backend: Backend,
  url: string = BACKENDS[backend].url,
): Promise<string | undefined> {
  try {
    await BACKENDS[backend].probe(url);
    return undefined;
  } catch (error) {
    return `${BACKENDS[backend].label} is not reachable at ${url}: ${String(error)}`;
  }
}

/**
 * Whether the backend answers. Under CI=true an unreachable server throws with how to start
 * it (a missing server must never turn into a green run); elsewhere the caller skips, and the
 * reason is printed.
 */
export async function backendAvailable(backend: Backend, suite: string): Promise<boolean> {
  const reason = await backendUnreachable(backend);
  if (reason === undefined) return true;
  const message = `${reason}; ${HOW_TO_START[backend]}`;
  if (serversRequired()) throw new Error(message);
  console.warn(`skipping ${suite} tests: ${message}`);
  return false;
}

/** A schema, database or prefix name no other test run uses. */
export function uniqueName(label = 'test'): string {
  return `hallpass_${label}_${randomBytes(6).toString('hex')}`;
}

/**
 * Why a fault test's throwaway server cannot run here, as a skip reason; under CI=true that is
 * a failure instead.
 */
export function throwawaySkipReason(what: string, unsupported: string | undefined) {
  if (unsupported && serversRequired()) {
    throw new Error(`the ${what} fault test cannot run: ${unsupported}`);
  }
  return unsupported;
}
