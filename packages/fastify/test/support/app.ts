import { setTimeout as sleep } from 'node:timers/promises';
import { type StartServer, type SwitchableStore, switchable } from '@hallpass/conformance';
import { SessionManager, type SessionManagerOptions } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import Fastify, { type FastifyInstance } from 'fastify';
import { hallpass } from '../../src/index.js';

declare module '../../src/index.js' {
  interface HallpassSessionData {
    user: string;
    visits: number;
  }
}

type ScenarioSetup = NonNullable<Parameters<StartServer>[1]>;

/** A Fastify app with the routes describeHttpScenarios expects, plus a few for the plugin tests. */
export async function buildApp(
  options: Partial<SessionManagerOptions> = {},
  setup: ScenarioSetup = {},
): Promise<{ app: FastifyInstance; manager: SessionManager; store: SwitchableStore<MemoryStore> }> {
  const store = switchable(new MemoryStore({ cleanupIntervalMs: 0 }));
  const manager = new SessionManager({ store, ...options });
  const app = Fastify();
  await app.register(hallpass, { manager });
  if (setup.errorHandlerThrows) {
    app.setErrorHandler(() => {
      throw new Error('error handler bug');
    });
  }
  type Query = { user?: string; key?: string; value?: string; wait?: string };

  app.post<{ Querystring: Query }>('/login', async (request) => {
    const user = request.query.user ?? 'nobody';
    await request.session.signIn(user);
    request.session.put('user', user);
    return { user };
  });
  app.get<{ Querystring: Query }>('/me', async (request) => {
    if (request.query.wait) await sleep(Number(request.query.wait));
    return { user: request.session.get('user') ?? null, id: request.session.id };
  });
  app.post('/renew', async (request) => {
    await request.session.renewToken();
    return { ok: true };
  });
  app.post('/logout', async (request) => {
    await request.session.destroy();
    return { ok: true };
  });
  app.post<{ Querystring: Query }>('/set', async (request) => {
    const { key = 'key', value = '', wait } = request.query;
    if (wait) await sleep(Number(wait));
    request.session.put(key, value);
    return { ok: true };
  });
  app.get('/all', async (request) =>
    Object.fromEntries(request.session.keys().map((key) => [key, request.session.get(key)])),
  );
  app.get('/throw', async () => {
    throw new Error('route bug');
  });
  app.get('/misuse', async (_request, reply) => {
    // Node refuses a number body: the same bug as `res.end(123)` in a plain handler.
    reply.raw.end(123 as never);
  });
  return { app, manager, store };
}
