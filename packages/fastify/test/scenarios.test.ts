import type { AddressInfo } from 'node:net';
import { describeHttpScenarios } from '@hallpass/conformance';
import { buildApp } from './support/app.js';

describeHttpScenarios('@hallpass/fastify', async (options, setup) => {
  const { app, manager, store } = await buildApp(options, setup);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cookieName: manager.options.cookie.name,
    store,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
});
