import { setTimeout as sleep } from 'node:timers/promises';
import { switchable } from '@hallpass/conformance';
import { SessionManager, type SessionManagerOptions } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import { Hono } from 'hono';
import { type HallpassHonoOptions, hallpass, type SessionVariables } from '../../src/index.js';

export type DemoData = { user: string; visits: number } & Record<string, unknown>;
export type AppEnv = { Variables: SessionVariables<DemoData> };

/** A Hono app with the routes describeHttpScenarios expects, plus a few for the middleware tests. */
export function buildApp(
  options: Partial<SessionManagerOptions> = {},
  adapter: HallpassHonoOptions = {},
  setup: { errorHandlerThrows?: boolean } = {},
) {
  const store = switchable(new MemoryStore({ cleanupIntervalMs: 0 }));
  const manager = new SessionManager<DemoData>({ store, ...options });
  const app = new Hono<AppEnv>();
  app.use(hallpass(manager, adapter));
  if (setup.errorHandlerThrows) {
    app.onError(() => {
      throw new Error('error handler bug');
    });
  }

  app.post('/login', async (c) => {
    const user = c.req.query('user') ?? 'nobody';
    await c.var.session.signIn(user);
    c.var.session.put('user', user);
    return c.json({ user });
  });
  app.get('/me', async (c) => {
    const wait = c.req.query('wait');
    if (wait) await sleep(Number(wait));
    return c.json({ user: c.var.session.get('user') ?? null, id: c.var.session.id });
  });
  app.post('/renew', async (c) => {
    await c.var.session.renewToken();
    return c.json({ ok: true });
  });
  app.post('/logout', async (c) => {
    await c.get('session').destroy();
    return c.json({ ok: true });
  });
  app.post('/set', async (c) => {
    const wait = c.req.query('wait');
    if (wait) await sleep(Number(wait));
    c.var.session.put(c.req.query('key') ?? 'key', c.req.query('value') ?? '');
    return c.json({ ok: true });
  });
  app.get('/all', (c) => {
    const session = c.var.session;
    return c.json(Object.fromEntries(session.keys().map((key) => [key, session.get(key)])));
  });
  app.get('/throw', () => {
    throw new Error('route bug');
  });
  // A handler that forgets to return a Response.
  app.get('/misuse', () => 123 as never);
  return { app, manager, store };
}
