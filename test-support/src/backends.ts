import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** The machine's shared servers, unless the environment points elsewhere. */
export const POSTGRES_URL =
  process.env.HALLPASS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.HALLPASS_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

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
} as const;

/**
 * Whether the backend answers. Under CI=true an unreachable server throws with how to start
 * it (a missing server must never turn into a green run); elsewhere the caller skips, and the
 * reason is printed.
 */
export async function backendAvailable(
  backend: keyof typeof BACKENDS,
  suite: string,
): Promise<boolean> {
  const { label, url, howToStart, probe } = BACKENDS[backend];
  try {
    await probe(url);
    return true;
  } catch (error) {
    const reason = `${label} is not reachable at ${url}: ${String(error)}`;
    if (process.env.CI === 'true') throw new Error(`${reason}; ${howToStart}`);
    console.warn(`skipping ${suite} tests: ${reason}; ${howToStart}`);
    return false;
  }
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
  if (unsupported && process.env.CI === 'true') {
    throw new Error(`the ${what} fault test cannot run: ${unsupported}`);
  }
  return unsupported;
}
