import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The standalone server the tests use; override with HALLPASS_REDIS_URL. */
export const REDIS_URL = process.env.HALLPASS_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const START_REDIS_HINT =
  'start one with: redis-server --daemonize yes --port 6379 --save "" --appendonly no ' +
  '(or point HALLPASS_REDIS_URL at a reachable server)';

/** A key prefix no other test run uses, so runs sharing one server never see each other. */
export function uniquePrefix(label: string): string {
  return `hallpass-test-${label}-${randomBytes(6).toString('hex')}`;
}

/** Whether `url` answers PING within a second. */
export async function isReachable(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * What a test file does when its server is missing: under CI=true that is a failure (a missing
 * server must never turn into a green run); locally the file is skipped with the reason.
 */
export function missingServerMode(): 'fail' | 'skip' {
  return process.env.CI === 'true' || process.env.CI === '1' ? 'fail' : 'skip';
}
