import { describeHttpScenarios } from '../../src/index.js';
import { route } from './routes.js';
import { listen, scenarioManager, serveFetch } from './servers.js';

describeHttpScenarios('@hallpass/core manager.fetch', async (options, setup) => {
  const { store, manager } = scenarioManager(options);
  const handler = manager.fetch(
    async (request, session) => {
      const result = await route(request.method, new URL(request.url), session);
      if (result === 'throw') throw new Error('route bug');
      // A handler that forgets to return a Response.
      if (result === 'misuse') return 123 as never;
      return Response.json(result.json, { status: result.status });
    },
    {
      onError: setup?.errorHandlerThrows
        ? () => {
            throw new Error('onError bug');
          }
        : undefined,
    },
  );
  return listen(serveFetch(handler), store, manager.options.cookie.name);
});
