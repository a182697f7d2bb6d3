import { backendAvailable } from '@hallpass/test-support';

export { POSTGRES_URL, REDIS_URL, uniqueName } from '@hallpass/test-support';

/**
 * Whether the server is there. Under CI=true a missing server throws with how to start it (a
 * missing server must never turn into a green run); locally the suite is skipped with the reason.
 */
export function serverAvailable(server: 'redis' | 'postgres'): Promise<boolean> {
  return backendAvailable(server, 'express-session compat');
}
