import { expectServerOutageRecovery } from '@hallpass/conformance';
import {
  createThrowawayMariadb,
  type ThrowawayMariadb,
  throwawayMariadbUnsupported,
  throwawaySkipReason,
} from '@hallpass/test-support';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { MysqlStore } from '../src/index.js';

const unsupported = throwawaySkipReason('MariaDB', throwawayMariadbUnsupported());

/**
 * A throwaway mariadbd is SIGKILLed in the middle of use and started again on the same data:
 * every call in between fails with StoreUnavailableError (no hang, no crash, no unhandled
 * rejection), and the same store object works again afterwards with every committed session.
 */
describe.skipIf(unsupported !== undefined)('mariadb server killed and restarted mid-use', () => {
  let server: ThrowawayMariadb;
  let store: MysqlStore;
  /** A second store whose background cleanup keeps running through the outage. */
  let sweeping: MysqlStore;
  const cleanupErrors: unknown[] = [];

  beforeAll(async () => {
    server = await createThrowawayMariadb();
    await server.start();
    const poolOptions = { connectTimeout: 2_000 };
    store = new MysqlStore({ uri: server.url, ensureSchema: true, poolOptions });
    await store.ensureSchema();
    sweeping = new MysqlStore({
      uri: server.url,
      cleanupIntervalMs: 100,
      onCleanupError: (error) => cleanupErrors.push(error),
      poolOptions,
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
