import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach } from 'vitest';
import { SessionManager, type SessionManagerOptions } from '../../src/index.js';
import { CookieClient } from './client.js';
import { serve } from './http.js';
import { TestStore } from './test-store.js';

export type Data = { count: number; user: string; flash: string; a: string; b: string };
export type Route = (
  manager: SessionManager<Data>,
  req: IncomingMessage,
  res: ServerResponse,
) => void | Promise<void>;

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/**
 * A real node:http server whose handler dispatches on the path to `routes`, with a manager
 * on a TestStore. Plain http in tests, so the cookie is not `Secure`.
 */
export async function startApp(
  routes: Record<string, Route>,
  options: Partial<SessionManagerOptions> = {},
) {
  const store = (options.store as TestStore | undefined) ?? new TestStore(options.clock);
  const manager = new SessionManager<Data>({
    cookie: { secure: false },
    ...options,
    store,
  });
  const server = await serve(
    manager.handler(async (req, res) => {
      const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
      if (!route) {
        res.statusCode = 404;
        res.end();
        return;
      }
      await route(manager, req, res);
    }),
  );
  servers.push(server.close);
  return { store, manager, url: server.url, client: () => new CookieClient(server.url) };
}

/** Routes most tests need. */
export const routes: Record<string, Route> = {
  '/count': (m, req, res) => {
    const session = m.session(req);
    const count = (session.get('count') ?? 0) + 1;
    session.put('count', count);
    res.end(String(count));
  },
  '/read': (m, req, res) => {
    res.end(String(m.session(req).get('count') ?? 'none'));
  },
  '/login': async (m, req, res) => {
    await m.session(req).signIn('alice');
    res.end('ok');
  },
  '/whoami': (m, req, res) => {
    res.end(String(m.session(req).userId ?? 'none'));
  },
  '/logout': async (m, req, res) => {
    await m.session(req).destroy();
    res.end('bye');
  },
  '/renew': async (m, req, res) => {
    await m.session(req).renewToken();
    res.end('renewed');
  },
};
