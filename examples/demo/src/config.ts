import { fileURLToPath } from 'node:url';
import { type Duration, toMilliseconds } from '@hallpass/core';

export interface DemoConfig {
  host: string;
  port: number;
  /** `sqlite`, `memory`, or a redis://, postgres://, mysql:// or mongodb:// URL. */
  store: string;
  /** Where the SQLite file lives. */
  dataDir: string;
  /** Absolute lifetime of a session. */
  lifetime: Duration;
  /** Idle timeout; 0 disables it. */
  idleTimeout: Duration;
  /**
   * A `__Host-` cookie with Secure (browsers accept Secure cookies from http://localhost).
   * Off for plain-http access by another name (a LAN address), where the browser would drop it.
   */
  secureCookie: boolean;
  /**
   * Names the demo's keys, table or collection in a shared backend (Redis prefix, PostgreSQL
   * table, MongoDB collection). Default: each store's own default. Tests set a unique one.
   */
  namespace?: string;
}

const DEMO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Reads the demo's settings from the environment (see docs/demo.md for the list). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const lifetime = env.HALLPASS_DEMO_LIFETIME ?? '15m';
  const idleTimeout = env.HALLPASS_DEMO_IDLE_TIMEOUT ?? '2m';
  // Fail at start-up on an unreadable duration rather than on the first request.
  toMilliseconds(lifetime, 'HALLPASS_DEMO_LIFETIME');
  toMilliseconds(idleTimeout, 'HALLPASS_DEMO_IDLE_TIMEOUT');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  }
  return {
    host: env.HOST ?? 'localhost',
    port,
    store: env.HALLPASS_DEMO_STORE ?? 'sqlite',
    dataDir: env.HALLPASS_DEMO_DATA_DIR ?? `${DEMO_ROOT}.data`,
    lifetime,
    idleTimeout,
    secureCookie: env.HALLPASS_DEMO_INSECURE_COOKIE !== '1',
  };
}
