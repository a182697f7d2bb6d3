import type { ServerResponse } from 'node:http';
import { generateToken, type Store, StoreUnavailableError } from '@hallpass/core';
import { MongoStore } from '@hallpass/mongodb';
import { MysqlStore } from '@hallpass/mysql';
import { PostgresStore } from '@hallpass/postgres';
import { RedisStore } from '@hallpass/redis';
import { freePort } from '@hallpass/test-support';
import { describe, expect, it } from 'vitest';
import { startSoakServer } from '../src/app.js';
import { CookieClient } from '../src/http-client.js';
import { uniqueName } from '../src/servers.js';
import { watchUnhandled } from '../src/unhandled.js';

/**
 * A store whose server is not there at all (a port nobody listens on): every request that
 * needs it gets the application's own answer from `onError` (here a 503 with Retry-After and
 * a JSON body), the server keeps running, and nothing is left unhandled.
 */
const stores: Array<[string, (port: number) => Store]> = [
  [
    'postgres',
    (port) =>
      new PostgresStore({
        connectionString: `postgres://postgres@127.0.0.1:${port}/test`,
        ensureSchema: true,
        cleanupIntervalMs: 0,
        poolConfig: { connectionTimeoutMillis: 1_000 },
      }),
  ],
  [
    'mysql',
    (port) =>
      new MysqlStore({
        uri: `mysql://root@127.0.0.1:${port}/test`,
        ensureSchema: true,
        cleanupIntervalMs: 0,
        poolOptions: { connectTimeout: 1_000 },
      }),
  ],
  [
    'redis',
    (port) => new RedisStore({ url: `redis://127.0.0.1:${port}`, prefix: uniqueName('down') }),
  ],
  [
    'mongodb',
    (port) =>
      new MongoStore({
        url: `mongodb://127.0.0.1:${port}/?directConnection=true`,
        databaseName: uniqueName('down'),
      }),
  ],
];

function retryLater(error: unknown, res: ServerResponse): void {
  const unavailable = error instanceof StoreUnavailableError;
  res.statusCode = unavailable ? 503 : 500;
  res.setHeader('retry-after', '5');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ error: unavailable ? 'sessions-unavailable' : 'internal' }));
}

describe.each(stores)('store without a server: %s', (_name, makeStore) => {
  it('answers through the onError of the app (its 503 and body) and keeps serving', {
    timeout: 60_000,
  }, async () => {
    const store = makeStore(await freePort());
    const unhandled = watchUnhandled();
    const server = await startSoakServer(store, {
      onError: (error, _req, res) => retryLater(error, res),
    });
    try {
      const client = new CookieClient(server.url, 20_000);
      // Loading a presented token needs the store; so do sign-in and a first write.
      client.token = generateToken();
      for (const [method, path] of [
        ['GET', '/me'],
        ['POST', '/sign-in?user=nobody'],
        ['POST', '/write?key=a&value=b'],
      ] as const) {
        const reply = await client.send(method, path);
        expect(reply.status, `${method} ${path}`).toBe(503);
        expect(reply.body).toEqual({ error: 'sessions-unavailable' });
      }
      // A request that does not touch the session store still works.
      client.token = null;
      expect((await client.send('GET', '/me')).status).toBe(200);
      for (const error of server.handlerErrors) expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(unhandled.errors).toEqual([]);
    } finally {
      unhandled.stop();
      await server.close();
      await store.close?.();
    }
  });
});
