import { expectServerOutageRecovery } from '@hallpass/conformance';
import {
  createThrowawayPostgres,
  type ThrowawayPostgres,
  throwawayPostgresUnsupported,
  throwawaySkipReason,
} from '@hallpass/test-support';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PostgresStore } from '../src/index.js';

const unsupported = throwawaySkipReason('PostgreSQL', throwawayPostgresUnsupported());

/**
 * The server goes away in the middle of use and comes back: every call in between fails with
 * StoreUnavailableError (no hang, no crash, no unhandled rejection), and the same store object
 * works again afterwards with every committed session intact.
 */
describe.skipIf(unsupported !== undefined)('postgres server stopped and restarted mid-use', () => {
  let server: ThrowawayPostgres;
  let store: PostgresStore;
  /** A second store whose background cleanup keeps running through the outage. */
  let sweeping: PostgresStore;
  const cleanupErrors: unknown[] = [];

  beforeAll(async () => {
    server = await createThrowawayPostgres();
    await server.start();
    store = new PostgresStore({
      connectionString: server.url,
      ensureSchema: true,
      poolConfig: { connectionTimeoutMillis: 2_000 },
    });
    await store.ensureSchema();
    sweeping = new PostgresStore({
      connectionString: server.url,
      cleanupIntervalMs: 100,
      onCleanupError: (error) => cleanupErrors.push(error),
      poolConfig: { connectionTimeoutMillis: 2_000 },
    });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await sweeping?.close();
    await server?.destroy();
  });

  it('fails with StoreUnavailableError while down and recovers by itself', {
    timeout: 30_000,
  }, async () => {
    await expectServerOutageRecovery({ store, server, cleanupErrors });
  });
});
