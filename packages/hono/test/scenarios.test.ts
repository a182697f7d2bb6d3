import type { AddressInfo } from 'node:net';
import { describeHttpScenarios } from '@hallpass/conformance';
import { serve } from '@hono/node-server';
import { buildApp } from './support/app.js';

describeHttpScenarios('@hallpass/hono on @hono/node-server', async (options, setup) => {
  const { app, manager, store } = buildApp(
    options,
    setup?.errorHandlerThrows
      ? {
          onError: () => {
            throw new Error('onError bug');
          },
        }
      : {},
    setup,
  );
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cookieName: manager.options.cookie.name,
    store,
    close: async () => {
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await store.close();
    },
  };
});
