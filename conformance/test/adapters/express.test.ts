import { createServer } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import { describeHttpScenarios } from '../../src/index.js';
import { listen, nodeRoute, scenarioManager } from './servers.js';

function expressApp(options: Parameters<typeof scenarioManager>[0]) {
  const { store, manager } = scenarioManager(options);
  const app = express();
  // Express's default handler prints the stack outside production; deployments run production.
  app.set('env', 'production');
  app.use(manager.middleware());
  app.all('/{*path}', async (req, res) => nodeRoute(manager, req, res));
  return { app, store, manager };
}

describeHttpScenarios(
  '@hallpass/core middleware() in Express, no error handler',
  async (options) => {
    const { app, store, manager } = expressApp(options);
    return listen(createServer(app), store, manager.options.cookie.name);
  },
);

describeHttpScenarios(
  '@hallpass/core middleware() in Express, with an error handler',
  async (options, setup) => {
    const { app, store, manager } = expressApp(options);
    const handler: ErrorRequestHandler = (error, _req, res, _next) => {
      if (setup?.errorHandlerThrows) throw new Error('error handler bug');
      // The store errors carry the HTTP answer a handler needs: status 503, no-store.
      res.status(error.statusCode ?? 500).set(error.headers ?? {});
      res.json({ error: error.statusCode === 503 ? 'try again later' : 'failed' });
    };
    app.use(handler);
    return listen(createServer(app), store, manager.options.cookie.name);
  },
);
