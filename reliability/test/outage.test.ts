import { StoreUnavailableError } from '@hallpass/core';
import { describe, expect, it } from 'vitest';
import { startSoakServer } from '../src/app.js';
import { CookieClient } from '../src/http-client.js';
import { LoadDriver } from '../src/load.js';
import {
  type BackendKind,
  mongodbBackend,
  mysqlBackend,
  postgresBackend,
  redisBackend,
} from '../src/throwaway-backends.js';
import { watchUnhandled } from '../src/unhandled.js';

/**
 * The backend dies in the middle of the load, stays down for a few seconds and comes back.
 * While it is down every request is answered promptly with a 503; the process never crashes;
 * service resumes without a restart; sessions committed before the outage are all valid after
 * it, with every acknowledged write; and the oracle's rules hold throughout.
 */
const OUTAGE_MS = 3_000;
const RECOVERY_LIMIT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([postgresBackend, mysqlBackend, redisBackend, mongodbBackend])(
  'backend outage under load: $name',
  (kind: BackendKind) => {
    it('503 while down, recovers by itself, loses no committed session', {
      timeout: 90_000,
    }, async (t) => {
      const unsupported = kind.unsupported();
      if (unsupported) {
        if (process.env.CI === 'true')
          throw new Error(`cannot start a ${kind.name}: ${unsupported}`);
        t.skip(unsupported);
      }
      const backend = await kind.create();
      const store = backend.store();
      const unhandled = watchUnhandled();
      const server = await startSoakServer(store);
      try {
        // Sessions committed before the outage: signed in, written to, then left alone.
        const committed = new LoadDriver(server.url, { users: 6, devicesPerUser: 2 });
        await committed.run(12);
        expect(committed.violations, 'before the outage').toEqual([]);
        const signedInBefore = committed.signedInDevices();
        expect(signedInBefore, 'sessions committed before the outage').toBeGreaterThan(0);

        // Load that keeps running through the outage; a 503 makes a step's outcome unknown.
        const load = new LoadDriver(server.url, {
          users: 8,
          devicesPerUser: 3,
          tolerateUnavailable: true,
        });
        let stopLoad = false;
        const loadDone = (async () => {
          while (!stopLoad) await load.run(1);
        })();

        // A session whose every request needs the store, to watch the outage with.
        const witness = new CookieClient(server.url, 15_000);
        expect((await witness.send('POST', '/sign-in?user=witness')).status).toBe(200);
        const witnessToken = witness.token;
        if (witnessToken === null) throw new Error('sign-in set no cookie');

        await sleep(1_000);
        await backend.kill();
        const downSince = Date.now();
        // Requests while it is down: answered, with a 503.
        const duringOutage: number[] = [];
        while (Date.now() - downSince < OUTAGE_MS) {
          const reply = await witness.probe('/me', witnessToken);
          duringOutage.push(reply.status);
          await sleep(200);
        }
        await backend.restart();

        // Service comes back without restarting the app.
        const recoveryDeadline = Date.now() + RECOVERY_LIMIT_MS;
        let recovered = false;
        while (!recovered && Date.now() < recoveryDeadline) {
          recovered = (await witness.probe('/me', witnessToken)).status === 200;
          if (!recovered) await sleep(200);
        }
        expect(recovered, `service back within ${RECOVERY_LIMIT_MS} ms of the restart`).toBe(true);
        const witnessAfter = await witness.probe('/me', witnessToken);
        expect(witnessAfter.body, 'the session watched through the outage').toMatchObject({
          user: 'witness',
        });
        await sleep(1_000);
        stopLoad = true;
        await loadDone;

        // From here on every request must succeed again.
        load.tolerateUnavailable = false;
        await load.run(3);
        await load.verifyAll();
        await committed.verifyAll();

        expect(
          duringOutage.filter((status) => status !== 503),
          'answers while the backend was down',
        ).toEqual([]);
        expect(load.statuses.get('503') ?? 0, '503s seen by the load').toBeGreaterThan(0);
        expect(
          Object.keys(Object.fromEntries(load.statuses)).sort(),
          'statuses seen by the load',
        ).toEqual(['200', '503']);
        expect(load.violations, 'oracle violations of the load').toEqual([]);
        expect(committed.violations, 'sessions committed before the outage').toEqual([]);
        expect(committed.signedInDevices(), 'committed sessions still signed in').toBe(
          signedInBefore,
        );
        for (const error of server.handlerErrors) {
          expect(error, 'route handlers fail only with StoreUnavailableError').toBeInstanceOf(
            StoreUnavailableError,
          );
        }
        expect(unhandled.errors, 'unhandled rejections / uncaught exceptions').toEqual([]);
        console.log(
          `outage ${kind.name}: ${JSON.stringify({ committed: committed.report(0).devices, load: { ...load.report(0), durationMs: undefined, violations: load.violations.length }, duringOutage: duringOutage.length })}`,
        );
      } finally {
        unhandled.stop();
        await server.close();
        await store.close?.();
        await backend.destroy();
      }
    });
  },
);
