import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeHttpScenarios } from '@hallpass/conformance';
import { buildApp } from './support/app.js';

describeHttpScenarios('@hallpass/koa', async (options, setup) => {
  const { app, manager, store } = buildApp(options, setup);
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cookieName: manager.options.cookie.name,
    store,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await store.close();
    },
  };
});
