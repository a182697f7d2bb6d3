/**
 * A backend that goes away and comes back, with the in-process server so it can really be
 * stopped: calls fail promptly with StoreUnavailableError (never a hang, crash or unhandled
 * rejection) and the same store works again once the server is back.
 */
import { makeRecord, randomId } from '@hallpass/conformance';
import { StoreUnavailableError } from '@hallpass/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoStore } from '../src/index.js';
import { MongoWireServer } from './server/index.js';

describe('MongoStore when the server goes down and comes back', () => {
  const server = new MongoWireServer();
  afterAll(() => server.stop());

  it('fails with StoreUnavailableError while down and recovers with its data after restart', async () => {
    const url = await server.start();
    const store = new MongoStore({
      url,
      databaseName: 'outage',
      clientOptions: {
        serverSelectionTimeoutMS: 500,
        connectTimeoutMS: 500,
        heartbeatFrequencyMS: 500,
      },
    });
    try {
      const id = randomId();
      expect((await store.create(id, makeRecord())).ok).toBe(true);

      await server.stop();
      const calls = [
        store.find(id),
        store.create(randomId(), makeRecord()),
        store.touch(id, Date.now() + 60_000, Date.now()),
        store.delete(randomId()),
        store.listByUser('someone'),
      ];
      for (const outcome of await Promise.allSettled(calls)) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
      }

      await server.start();
      // The driver rediscovers the server on its next heartbeat; until then calls may still fail.
      let found: Awaited<ReturnType<MongoStore['find']>> | undefined;
      while (found === undefined) {
        found = await store.find(id).catch((error: unknown) => {
          if (!(error instanceof StoreUnavailableError)) throw error;
          return undefined;
        });
      }
      expect(found?.id).toBe(id);
    } finally {
      await store.close();
    }
  });
});
