import { randomBytes } from 'node:crypto';
import { backendUnreachable, HOW_TO_START, serversRequired } from '@hallpass/test-support';

/** The standalone server the tests use; override with HALLPASS_REDIS_URL. */
export { REDIS_URL } from '@hallpass/test-support';

export const START_REDIS_HINT = HOW_TO_START.redis;

/** A key prefix no other test run uses, so runs sharing one server never see each other. */
export function uniquePrefix(label: string): string {
  return `hallpass-test-${label}-${randomBytes(6).toString('hex')}`;
}

/** Whether `url` answers PING. */
export async function isReachable(url: string): Promise<boolean> {
  return (await backendUnreachable('redis', url)) === undefined;
}

/**
 * What a test file does when its server is missing: under CI=true that is a failure (a missing
 * server must never turn into a green run); locally the file is skipped with the reason.
 */
export function missingServerMode(): 'fail' | 'skip' {
  return serversRequired() ? 'fail' : 'skip';
}
