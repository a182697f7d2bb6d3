import { createServer } from 'node:http';
import { describeHttpScenarios } from '../../src/index.js';
import { listen, nodeRoute, scenarioManager } from './servers.js';

describeHttpScenarios('@hallpass/core manager.handler (node:http)', async (options, setup) => {
  const { store, manager } = scenarioManager(options);
  const server = createServer(
    manager.handler((req, res) => nodeRoute(manager, req, res), {
      onError: setup?.errorHandlerThrows
        ? () => {
            throw new Error('onError bug');
          }
        : undefined,
    }),
  );
  return listen(server, store, manager.options.cookie.name);
});
