import { randomBytes } from 'node:crypto';
import pg from 'pg';
// The Redis store's own test probe and URL (HALLPASS_REDIS_URL overrides it).
import { isReachable, REDIS_URL } from '../../../redis/test/support/env.js';

export { REDIS_URL };

/** The machine's PostgreSQL; the same override as the postgres store's tests. */
export const POSTGRES_URL =
  process.env.HALLPASS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const HOW_TO_START: Record<'redis' | 'postgres', string> = {
  redis:
    'start one with: redis-server --daemonize yes --port 6379 --save "" --appendonly no (or set HALLPASS_REDIS_URL)',
  postgres:
    'start PostgreSQL (e.g. `pg_ctlcluster --skip-systemctl-redirect 15 main start`) or set HALLPASS_POSTGRES_URL',
};

/** A name no other test run uses: runs sharing a server never see each other. */
export function uniqueName(label: string): string {
  return `hallpass_compat_${label}_${randomBytes(5).toString('hex')}`;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Whether the server is there. Under CI=true a missing server throws with how to start it (a
 * missing server must never turn into a green run); locally the suite is skipped with the reason.
 */
export async function serverAvailable(server: 'redis' | 'postgres'): Promise<boolean> {
  const up = server === 'redis' ? await isReachable(REDIS_URL) : await postgresReachable();
  if (up) return true;
  const reason = `${server} is not reachable; ${HOW_TO_START[server]}`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(reason);
  console.warn(`skipping: ${reason}`);
  return false;
}
